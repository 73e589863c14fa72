import { mkdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { type Container, ExecError, ReturnType } from '@dagger.io/dagger';
import type { Component } from '../core/config/schema.ts';
import { StageError } from '../core/errors.ts';
import { componentDeps, WORKDIR } from '../dagger/deps.ts';
import type { StageFn } from '../runtime/types.ts';

/** Counts read from a JUnit XML report. */
export interface TestCounts {
  passed: number;
  failed: number;
  skipped: number;
}

/** The result of a component's test commands. */
export interface TestRun {
  exitCode: number;
  output: string;
  /** The container after the tests ran, to read reports from. */
  container: Container;
}

/** Runs test commands in a deps container; the last command's exit code and output are returned, not thrown. */
export async function test(ctr: Container, commands: string[][]): Promise<TestRun> {
  let ran = ctr;
  commands.forEach((cmd, i) => {
    ran = ran.withExec(cmd, i === commands.length - 1 ? { expect: ReturnType.Any } : {});
  });
  try {
    const [exitCode, stdout, stderr] = await Promise.all([ran.exitCode(), ran.stdout(), ran.stderr()]);
    return { exitCode, output: `${stdout}${stderr}`, container: ran };
  } catch (error) {
    if (error instanceof ExecError)
      return { exitCode: error.exitCode, output: `${error.stdout}${error.stderr}`, container: ran };
    throw error;
  }
}

/** Counts test cases in a JUnit XML document (testcase elements and their failure/error/skipped children). */
export function junitCounts(xml: string): TestCounts {
  const cases = xml.match(/<testcase\b[\s\S]*?(?:\/>|<\/testcase>)/g) ?? [];
  let failed = 0;
  let skipped = 0;
  for (const c of cases) {
    if (/<(failure|error)\b/.test(c)) failed += 1;
    else if (/<skipped\b/.test(c)) skipped += 1;
  }
  return { passed: cases.length - failed - skipped, failed, skipped };
}

function tail(text: string, lines = 40): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

async function testComponent(component: Component, repoRoot: string, outDir: string) {
  const { container, toolchain } = await componentDeps(repoRoot, component);
  const run = await test(container, toolchain.test);
  const report = join(outDir, 'junit', `${component.name}.xml`);
  await mkdir(join(outDir, 'junit'), { recursive: true });
  const exported = await run.container
    .file(`${WORKDIR}/${component.junit}`)
    .export(report)
    .then(
      () => true,
      () => false,
    );
  const counts = exported ? junitCounts(await readFile(report, 'utf8')) : undefined;
  return { component, run, report: exported ? report : undefined, counts };
}

/** The test stage: each component's tests concurrently; JUnit XML collected into `out/junit/`. */
export const testStage: StageFn = async (ctx) => {
  const results = await Promise.all(
    ctx.config.components.map((c) => testComponent(c, ctx.repoRoot, ctx.outDir)),
  );
  await ctx.manifest.update((m) => {
    for (const r of results) {
      if (!r.counts || !r.report) continue;
      m.components[r.component.name] = {
        ...m.components[r.component.name],
        tests: { ...r.counts, report: relative(ctx.repoRoot, r.report) },
      };
    }
  });
  const failed = results.filter((r) => r.run.exitCode !== 0);
  if (failed.length > 0) {
    const details = failed
      .map((r) => `${r.component.name}: tests exited ${r.run.exitCode}\n${tail(r.run.output)}`)
      .join('\n\n');
    throw new StageError(
      'TESTS_FAILED',
      `tests failed in ${failed.map((r) => r.component.name).join(', ')}\n${details}`,
      {
        hint: 'fix the failing tests (output above; JUnit reports in out/junit/)',
      },
    );
  }
  return {
    message: results
      .map((r) =>
        r.counts
          ? `${r.component.name}: ${r.counts.passed} passed, ${r.counts.failed} failed, ${r.counts.skipped} skipped`
          : `${r.component.name}: passed (no JUnit report)`,
      )
      .join('; '),
  };
};
