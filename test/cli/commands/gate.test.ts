import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandContext } from '../../../src/cli/commands/command.ts';
import { createGateCommand, gateCommand } from '../../../src/cli/commands/gate.ts';
import { ExitCode, GantryError } from '../../../src/core/errors.ts';
import { fixturesDir, repoRoot } from '../../core/security/helpers.ts';

let dir: string;
const image = join(fixturesDir, 'trivy/image-alpine-39.json');
const semgrep = join(fixturesDir, 'semgrep/semgrep-1.30.0-go.json');

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gantry-gate-'));
  await writeFile(join(dir, 'clean.json'), JSON.stringify({ SchemaVersion: 2, ArtifactName: 'x' }));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function run(args: string[], cwd = repoRoot, command = gateCommand) {
  const out: string[] = [];
  const err: string[] = [];
  const ctx: CommandContext = {
    args,
    env: {},
    definition: { stages: [] },
    cwd,
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    isTTY: false,
    debug: false,
  };
  const code = await command.run(ctx);
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}

/** A copy of the default policy with one waiver for the CRITICAL musl CVE of the alpine 3.9 image. */
async function policyWithWaiver(expires: string): Promise<string> {
  const base = await readFile(join(repoRoot, 'policies/default.yaml'), 'utf8');
  const file = join(dir, `policy-${expires}.yaml`);
  const waivers = `waivers:\n  - id: CVE-2019-14697\n    reason: musl unused at run time\n    expires: ${expires}\n`;
  await writeFile(file, base.replace(/^waivers: \[\]$/m, waivers));
  return file;
}

async function failure(promise: Promise<unknown>): Promise<GantryError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(GantryError);
  return error as GantryError;
}

describe('gantry gate', () => {
  it('exits 3 on a report with a blocking finding and prints the table and verdict', async () => {
    const { code, stdout } = await run(['--trivy', image, '--semgrep', semgrep]);
    expect(code).toBe(ExitCode.blocked);
    expect(stdout).toMatch(/ID\s+SEVERITY\s+PACKAGE\/FILE\s+FIXED\s+FINDING\s+WHY/);
    expect(stdout).toMatch(/CVE-2019-14697\s+CRITICAL\s+musl@1\.1\.20-r4\s+1\.1\.20-r5/);
    expect(stdout).toContain('CRITICAL vulnerability with a fix available (1.1.20-r5) blocks');
    expect(stdout.trimEnd().split('\n').at(-1)).toMatch(/^gate: BLOCKED — 2 blocking finding\(s\)/);
  });

  it('exits 0 when a valid waiver covers the blocking findings, and lists it as applied', async () => {
    const policy = await policyWithWaiver('2999-12-31');
    const { code, stdout } = await run(['--trivy', image, '--policy', policy]);
    expect(code).toBe(ExitCode.ok);
    expect(stdout).toContain(
      'Waivers applied:\n  CVE-2019-14697, expires 2999-12-31, 2 findings: musl unused at run time',
    );
    expect(stdout.trimEnd().split('\n').at(-1)).toMatch(/^gate: PASSED .*2 waived/);
  });

  it('exits 3 again when that waiver has expired, and lists it as expired', async () => {
    const policy = await policyWithWaiver('2024-01-31');
    const { code, stdout } = await run(['--trivy', image, '--policy', policy]);
    expect(code).toBe(ExitCode.blocked);
    expect(stdout).toContain('(waiver expired 2024-01-31)');
    expect(stdout).toContain('Waivers expired (not applied):\n  CVE-2019-14697');
  });

  it('uses the injected clock for expiry', async () => {
    const policy = await policyWithWaiver('2024-01-31');
    const before = createGateCommand({ now: () => new Date('2024-01-31T18:00:00Z') });
    expect((await run(['--trivy', image, '--policy', policy], repoRoot, before)).code).toBe(ExitCode.ok);
  });

  it('reports an unused waiver', async () => {
    const policy = await policyWithWaiver('2999-12-31');
    const { code, stdout } = await run(['--trivy', join(dir, 'clean.json'), '--policy', policy]);
    expect(code).toBe(ExitCode.ok);
    expect(stdout).toContain('Waivers unused (matched no finding):\n  CVE-2019-14697');
  });

  it('exits 3 with a clear reason on a truncated report', async () => {
    const text = await readFile(image, 'utf8');
    const cut = join(dir, 'truncated.json');
    await writeFile(cut, text.slice(0, Math.floor(text.length * 0.6)));
    const error = await failure(run(['--trivy', cut]));
    expect(error.exitCode).toBe(ExitCode.blocked);
    expect(error.message).toContain(`${cut} is not valid JSON (truncated or corrupted`);
  });

  it('exits 3 on a missing report', async () => {
    const error = await failure(run(['--semgrep', 'no/such/semgrep.json']));
    expect(error.exitCode).toBe(ExitCode.blocked);
    expect(error.message).toContain('no/such/semgrep.json does not exist');
  });

  it('resolves relative report and policy paths against ctx.cwd', async () => {
    await copyFile(image, join(dir, 'image.json'));
    await copyFile(join(repoRoot, 'policies/strict.yaml'), join(dir, 'strict.yaml'));
    const { code, stdout } = await run(['--trivy', 'image.json', '--policy', 'strict.yaml'], dir);
    expect(code).toBe(ExitCode.blocked);
    expect(stdout).toMatch(/CVE-2019-1549\s+MEDIUM/);
  });

  it.each([
    [['--trivy'], /gantry gate: .*--trivy/],
    [['--bogus', 'x'], /gantry gate: .*--bogus/],
    [['stray'], /gantry gate: .*stray/],
    [[], /needs at least one report/],
  ])('rejects bad arguments %j as invalid input', async (args, message) => {
    const error = await failure(run(args));
    expect(error.exitCode).toBe(ExitCode.invalidInput);
    expect(error.message).toMatch(message);
  });

  it('rejects an invalid policy file as invalid input', async () => {
    const bad = join(dir, 'bad.yaml');
    await writeFile(bad, 'version: 1\n');
    const error = await failure(run(['--trivy', image, '--policy', bad]));
    expect(error.exitCode).toBe(ExitCode.invalidInput);
    expect(error.message).toContain(`${bad}:1:1: vulnerabilities`);
  });

  it('prints usage with --help', async () => {
    const { code, stdout } = await run(['--help']);
    expect(code).toBe(ExitCode.ok);
    expect(stdout).toBe(`${gateCommand.usage}\n`);
  });
});
