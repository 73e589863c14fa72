/**
 * Config fuzz: thousands of generated and mutated gantry.yaml and policy files. Each one either parses or
 * is refused with an InputError (exit 2) and a message; never another error, never a stack trace, and in
 * bounded time. Seeded: set FUZZ_SEED to reproduce a failure the test reports.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/core/config/load.ts';
import { formatError, InputError } from '../../src/core/errors.ts';
import { parsePolicy } from '../../src/core/security/policy.ts';
import { runCli } from '../support/cli.ts';
import { mutations } from './fuzz-gen.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const SEED = Number(process.env.FUZZ_SEED ?? 20_260_407);
/** Longest a single document may take to be accepted or refused. */
const CASE_LIMIT_MS = 2_000;
const STACK = /\n\s+at .+[:(]\d+:\d+\)?/;

const RICH_CONFIG = `version: 1
name: shop
components:
  - name: api
    path: services/api
    toolchain: { image: "golang:1.23", install: [[go, mod, download]], test: [[go, test, ./...]], cache: [/go/pkg/mod] }
    image: acme/api
  - { name: web, toolchain: python, dockerfile: docker/Dockerfile }
registry: { address: ghcr.io/acme, username: bot, password: env://REGISTRY_TOKEN }
environments:
  staging: { driver: helm, kubeconfig: env://KUBE_STAGING, helm: { chart: chart, values: [values.yaml] } }
  production:
    driver: gitops
    approval: true
    gitops: { repository: https://github.com/acme/deploy, file: prod/kustomization.yaml, token: env://GITOPS_TOKEN }
signing: { mode: key, key: env://COSIGN_KEY, password: env://COSIGN_PASSWORD, publicKey: cosign.pub }
stageTimeout: 45m
`;
const WAIVED_POLICY = `version: 1
vulnerabilities: { block: [CRITICAL], ignoreUnfixed: false }
secrets: { block: [CRITICAL, HIGH, MEDIUM, LOW, UNKNOWN] }
misconfigurations: { block: [CRITICAL] }
sast: { block: [HIGH] }
waivers:
  - { id: CVE-2024-1, reason: not reachable, expires: 2999-12-31, package: lodash }
  - { id: rule.x, reason: test code, expires: 2001-01-01, path: test/ }
`;

/** What went wrong with one document, or undefined when it was accepted or properly refused. */
function problemOf(parse: () => unknown): string | undefined {
  const t0 = performance.now();
  let problem: string | undefined;
  try {
    parse();
  } catch (error) {
    if (!(error instanceof InputError)) problem = `threw ${formatError(error, true)}`;
    else if (error.exitCode !== 2) problem = `exit ${error.exitCode}`;
    else if (!error.message.trim()) problem = 'empty message';
    else if (STACK.test(formatError(error, false))) problem = 'stack trace in the message';
  }
  const elapsed = performance.now() - t0;
  return problem ?? (elapsed > CASE_LIMIT_MS ? `took ${Math.round(elapsed)} ms` : undefined);
}

function fuzz(seeds: string[], count: number, seed: number, parse: (text: string) => unknown): string[] {
  const failures: string[] = [];
  let i = 0;
  for (const text of mutations(seeds, count, seed)) {
    const problem = problemOf(() => parse(text));
    if (problem) failures.push(`case ${i} (FUZZ_SEED=${seed}): ${problem}\n--- document ---\n${text}`);
    i++;
  }
  return failures;
}

describe('config fuzz', () => {
  it('the detector flags a crash, a wrong exit code and a stack trace, and accepts a clean refusal', () => {
    expect(problemOf(() => null)).toBeUndefined();
    expect(problemOf(() => parseConfig('version: 2', 'g.yaml'))).toBeUndefined();
    expect(problemOf(() => (undefined as unknown as { a: number }).a)).toMatch(/^threw/);
    const wrongCode = new InputError('X', 'x');
    Object.defineProperty(wrongCode, 'exitCode', { value: 1 });
    expect(
      problemOf(() => {
        throw wrongCode;
      }),
    ).toBe('exit 1');
    expect(
      problemOf(() => {
        throw new InputError('X', 'bad\n    at parse (/a/b.ts:1:2)');
      }),
    ).toMatch(/stack/);
  });

  it('2,000 mutated gantry.yaml files: each parses or is refused with exit 2 and a message', async () => {
    const seeds = [await readFile(join(ROOT, 'gantry.yaml'), 'utf8'), RICH_CONFIG];
    for (const s of seeds) expect(() => parseConfig(s)).not.toThrow();
    const failures = fuzz(seeds, 2_000, SEED, (text) => parseConfig(text, 'gantry.yaml'));
    expect(failures.slice(0, 3)).toEqual([]);
  }, 120_000);

  it('1,500 mutated policy files: each parses or is refused with exit 2 and a message', async () => {
    const seeds = [await readFile(join(ROOT, 'policies/default.yaml'), 'utf8'), WAIVED_POLICY];
    for (const s of seeds) expect(() => parsePolicy(s, 'policy.yaml')).not.toThrow();
    const failures = fuzz(seeds, 1_500, SEED + 1, (text) => parsePolicy(text, 'policy.yaml'));
    expect(failures.slice(0, 3)).toEqual([]);
  }, 120_000);

  it('a sample through `gantry validate`: exit 0, or exit 2 with a message and no stack trace', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gantry-fuzz-'));
    try {
      await writeFile(join(dir, 'policy.yaml'), WAIVED_POLICY);
      const seeds = [RICH_CONFIG.replace('stageTimeout', 'policy: policy.yaml\nstageTimeout')];
      const codes = new Set<number>();
      let i = 0;
      for (const text of mutations(seeds, 60, SEED + 2)) {
        await writeFile(join(dir, 'gantry.yaml'), text);
        const { code, stdout, stderr } = await runCli(['validate'], { cwd: dir });
        const where = `case ${i++} (FUZZ_SEED=${SEED}):\n${text}\n--- stderr ---\n${stderr}`;
        expect([0, 2], where).toContain(code);
        codes.add(code);
        if (code === 0) expect(stdout, where).toMatch(/is valid/);
        else expect(stderr, where).toMatch(/^error\[[A-Z_]+\]: \S/);
        expect(stderr, where).not.toMatch(STACK);
        expect(stderr, where).not.toContain('INTERNAL');
      }
      expect(codes.has(2)).toBe(true);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
