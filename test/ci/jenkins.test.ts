/**
 * The Jenkinsfile and the shared library step, checked by npm-groovy-lint (CodeNarc; needs Node 22 and
 * Java 17) and by a structural check of the declarative pipeline.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkDeclarativePipeline } from './support/declarative.ts';
import { parseGroovyBlocks } from './support/groovy-blocks.ts';
import { repoRoot } from './support/repo.ts';
import { npxNode22, run, TOOL_VERSIONS, unavailable } from './support/tools.ts';

const jenkinsfile = await readFile(join(repoRoot, 'Jenkinsfile'), 'utf8');
const check = (source: string) => checkDeclarativePipeline(parseGroovyBlocks(source));

describe('Jenkinsfile structure (declarative pipeline)', () => {
  it('has pipeline { agent, stages { stage { steps } } } and only known directives', () => {
    expect(check(jenkinsfile)).toEqual([]);
  });

  it('rejects a misspelt directive', () => {
    expect(
      check(
        jenkinsfile.replace(
          "stage('release') {\n            when {",
          "stage('release') {\n            wehn {",
        ),
      ),
    ).toEqual([expect.stringMatching(/unknown directive "wehn" in stage\('release'\)/)]);
    expect(check(jenkinsfile.replace('steps {', 'stpes {'))).toContainEqual(expect.stringMatching(/"stpes"/));
    expect(check(jenkinsfile.replace('submitterParameter', 'submiterParameter'))).toContainEqual(
      expect.stringMatching(/unknown "submiterParameter" in input/),
    );
    expect(check(jenkinsfile.replace("branch 'main'", "brnach 'main'"))).toContainEqual(
      expect.stringMatching(/unknown "brnach" in when/),
    );
  });

  it('rejects missing required sections', () => {
    expect(check(jenkinsfile.replace('agent any', ''))).toContainEqual(
      expect.stringMatching(/needs an agent/),
    );
    expect(check(jenkinsfile.replace(/steps \{\n\s+sh 'npm ci'\n\s+\}/, ''))).toContainEqual(
      expect.stringMatching(/stage\('install'\) needs exactly one of steps/),
    );
    expect(check('node {\n  sh "make"\n}\n')).toEqual([expect.stringMatching(/exactly one pipeline/)]);
  });

  it('rejects unbalanced braces and unterminated strings', () => {
    expect(() => check(jenkinsfile.replace(/\}\s*$/, ''))).toThrow(/unclosed block "pipeline"/);
    expect(() => check(jenkinsfile.replace("sh 'npm ci'", "sh 'npm ci"))).toThrow(/unterminated/);
  });
});

const lintable = ['Jenkinsfile', 'vars/gantry.groovy'];
const skipReason =
  (await unavailable(
    () => run('java', ['-version']),
    'Java (17+)',
    'install openjdk-17-jre-headless (.ci/run does)',
  )) ??
  (await unavailable(
    () => npxNode22('npm-groovy-lint', TOOL_VERSIONS.npmGroovyLint, 'npm-groovy-lint', ['--version']),
    `npm-groovy-lint@${TOOL_VERSIONS.npmGroovyLint}`,
    '.ci/run installs it into the npx cache',
  ));
if (skipReason) console.warn(`SKIPPED npm-groovy-lint tests: ${skipReason}`);

interface LintReport {
  summary: { totalFoundErrorNumber: number };
  files: Record<string, { errors: { line: number; rule: string; severity: string; msg: string }[] }>;
}

async function groovyLint(cwd: string, files: readonly string[]) {
  const result = await npxNode22(
    'npm-groovy-lint',
    TOOL_VERSIONS.npmGroovyLint,
    'npm-groovy-lint',
    ['--noserver', '--failon', 'error', '--output', 'json', ...files],
    { cwd },
  );
  const json = result.stdout.slice(result.stdout.indexOf('{'));
  return { code: result.code, report: JSON.parse(json) as LintReport };
}

const errorsOf = (report: LintReport) =>
  Object.entries(report.files).flatMap(([file, { errors }]) =>
    errors.filter((e) => e.severity === 'error').map((e) => `${file}:${e.line} ${e.rule}: ${e.msg}`),
  );

describe.skipIf(skipReason !== undefined)('npm-groovy-lint', () => {
  const temp = mkdtemp(join(tmpdir(), 'gantry-groovy-'));
  afterAll(async () => rm(await temp, { recursive: true, force: true }));

  it('finds no errors in the Jenkinsfile and the shared library step', { timeout: 240_000 }, async () => {
    const { code, report } = await groovyLint(repoRoot, lintable);
    expect(errorsOf(report)).toEqual([]);
    expect(Object.keys(report.files)).toHaveLength(lintable.length);
    expect(code).toBe(0);
  });

  it('rejects a broken copy (a missing parenthesis)', { timeout: 240_000 }, async () => {
    const dir = await temp;
    await writeFile(
      join(dir, 'Jenkinsfile'),
      jenkinsfile.replace("timeout(time: 3, unit: 'HOURS')", "timeout(time: 3, unit: 'HOURS'"),
    );
    const { code, report } = await groovyLint(dir, ['Jenkinsfile']);
    expect(code).not.toBe(0);
    expect(report.summary.totalFoundErrorNumber).toBeGreaterThan(0);
  });
});
