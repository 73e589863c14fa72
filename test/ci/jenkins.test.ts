/**
 * The Jenkinsfile and the shared library step, checked by npm-groovy-lint (CodeNarc; needs Node 22 and
 * Java 17) and by a structural check of the declarative pipeline.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateJenkins } from '../../src/cli/ci/jenkins.ts';
import { checkDeclarativePipeline } from './support/declarative.ts';
import { parseGroovyBlocks } from './support/groovy-blocks.ts';
import { repoRoot } from './support/repo.ts';
import { customShape, twoGatesShape } from './support/shapes.ts';
import { npxNode22, run, TOOL_VERSIONS, unavailable } from './support/tools.ts';

const jenkinsfile = await readFile(join(repoRoot, 'Jenkinsfile'), 'utf8');
/** Generated for team pipelines: a custom integration phase and post { always }, two gated environments, pinned. */
const generated = {
  custom: generateJenkins(customShape)[0]?.content as string,
  twoGates: generateJenkins(twoGatesShape, { source: { kind: 'pinned', ref: 'v0.2.0' } })[0]
    ?.content as string,
};
const check = (source: string) => checkDeclarativePipeline(parseGroovyBlocks(source));

describe('Jenkinsfile structure (declarative pipeline)', () => {
  it('has pipeline { agent, stages { stage { steps } } } and only known directives', () => {
    expect(check(jenkinsfile)).toEqual([]);
  });

  it.each(Object.entries(generated))(
    'the Jenkinsfile generated for %s is well-formed too',
    (_name, source) => {
      expect(check(source)).toEqual([]);
    },
  );

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
    expect(
      check(jenkinsfile.replace(/steps \{\n\s+sh 'npm ci --no-audit --no-fund'\n\s+\}/, '')),
    ).toContainEqual(expect.stringMatching(/stage\('install'\) needs exactly one of steps/));
    expect(check('node {\n  sh "make"\n}\n')).toEqual([expect.stringMatching(/exactly one pipeline/)]);
  });

  it('rejects unbalanced braces and unterminated strings', () => {
    expect(() => check(jenkinsfile.replace(/\}\s*$/, ''))).toThrow(/unclosed block "pipeline"/);
    expect(() => check(jenkinsfile.replace("sh 'npm ci --no-audit --no-fund'", "sh 'npm ci"))).toThrow(
      /unterminated/,
    );
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
  const after: string[] = [];
  afterAll(async () => {
    await Promise.all([await temp, ...after].map((d) => rm(d, { recursive: true, force: true })));
  });

  it('finds no errors in the Jenkinsfile, the shared library step and a generated Jenkinsfile', {
    timeout: 300_000,
  }, async () => {
    // One run (CodeNarc starts slowly): the committed files and one generated for a team pipeline.
    const dir = await temp;
    await mkdir(join(dir, 'vars'), { recursive: true });
    for (const file of lintable)
      await writeFile(join(dir, file), await readFile(join(repoRoot, file), 'utf8'));
    await writeFile(join(dir, 'Jenkinsfile.custom'), generated.custom);
    const files = [...lintable, 'Jenkinsfile.custom'];
    const { code, report } = await groovyLint(dir, files);
    expect(errorsOf(report)).toEqual([]);
    expect(Object.keys(report.files)).toHaveLength(files.length);
    expect(code).toBe(0);
  });

  it('rejects a broken copy (a missing parenthesis)', { timeout: 240_000 }, async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gantry-groovy-broken-'));
    after.push(dir);
    await writeFile(
      join(dir, 'Jenkinsfile'),
      jenkinsfile.replace("timeout(time: 3, unit: 'HOURS')", "timeout(time: 3, unit: 'HOURS'"),
    );
    const { code, report } = await groovyLint(dir, ['Jenkinsfile']);
    expect(code).not.toBe(0);
    expect(report.summary.totalFoundErrorNumber).toBeGreaterThan(0);
  });
});
