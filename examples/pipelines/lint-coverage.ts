/**
 * A lint gate and a coverage gate in the verify phase: build waits for both.
 * In your repository, import from 'gantry' instead of '../../index.ts'.
 */
import { z } from 'zod';
import { defineStage, type PipelineDefinition, StageError, standardStages } from '../../index.ts';

/** `npm run lint` in each component's dependency container. */
export const lint = defineStage({
  name: 'lint',
  phase: 'verify',
  needs: ['deps'],
  description: 'npm run lint in every component',
  run: async (ctx) => {
    await Promise.all(
      ctx.config.components.map(async (c) =>
        (await ctx.installed(c.name)).withExec(['npm', 'run', 'lint']).sync(),
      ),
    );
    return { message: `${ctx.config.components.length} component(s) lint clean` };
  },
});

/** Line coverage must reach `minimum` percent in every component (c8/istanbul `coverage-summary.json`). */
export function coverageGate(minimum: number) {
  return defineStage({
    name: 'coverage',
    phase: 'verify',
    needs: ['deps'],
    output: z.object({ lines: z.record(z.string(), z.number()) }),
    description: `line coverage ≥ ${minimum}%`,
    run: async (ctx) => {
      const lines: Record<string, number> = {};
      for (const c of ctx.config.components) {
        const ran = (await ctx.installed(c.name)).withExec([
          'npx',
          'c8',
          '--reporter=json-summary',
          'npm',
          'test',
        ]);
        const summary = JSON.parse(await ran.file('coverage/coverage-summary.json').contents()) as {
          total: { lines: { pct: number } };
        };
        lines[c.name] = summary.total.lines.pct;
      }
      const low = Object.entries(lines).filter(([, pct]) => pct < minimum);
      if (low.length > 0) {
        throw new StageError(
          'COVERAGE_LOW',
          `line coverage below ${minimum}%: ${low.map(([n, p]) => `${n} ${p}%`).join(', ')}`,
          {
            hint: 'add tests, or lower the minimum in pipeline/main.ts',
          },
        );
      }
      return {
        message: Object.entries(lines)
          .map(([n, p]) => `${n} ${p}%`)
          .join(', '),
        output: { lines },
      };
    },
  });
}

/** The standard pipeline, with build waiting for lint and coverage too. */
export function pipeline(minimum = 80): PipelineDefinition {
  return {
    stages: [...standardStages({ needs: { build: ['lint', 'coverage'] } }), lint, coverageGate(minimum)],
  };
}
