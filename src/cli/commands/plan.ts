import { access } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { GantryConfig } from '../../core/config/schema.ts';
import { ExitCode, InputError } from '../../core/errors.ts';
import { selectStages } from '../../core/graph.ts';
import { describeStages, makePlan, PLAN_FORMATS, type PlanFormat, renderPlan } from '../../core/plan.ts';
import { resolveToolchain, type Toolchain } from '../../core/toolchains.ts';
import { noPositionals, parseFlags, selectionFlags, selectionOf } from './args.ts';
import type { Command } from './command.ts';
import { loadPipeline } from './pipeline.ts';

const usage =
  'gantry plan [--format text|json|mermaid] [--phase P] [--only S,…] [--from S] [--until S] [--config gantry.yaml]';

/** `gantry plan`: prints the stage graph that `run` would execute, without an engine. */
export const planCommand: Command = {
  name: 'plan',
  summary: 'show the stages `run` would execute and what each does for gantry.yaml (no engine needed)',
  usage,
  async run(ctx) {
    const { values, positionals } = parseFlags(
      'plan',
      ctx.args,
      { ...selectionFlags, format: { type: 'string', default: 'text' }, config: { type: 'string' } },
      usage,
    );
    noPositionals('plan', positionals, usage);
    const format = values.format as string;
    if (!(PLAN_FORMATS as readonly string[]).includes(format)) {
      throw new InputError('BAD_ARGUMENTS', `gantry plan: unknown format "${format}"`, {
        hint: `use one of: ${PLAN_FORMATS.join(', ')}`,
      });
    }
    const { pipeline, config } = await loadPipeline(ctx, values.config);
    const selected = selectStages(pipeline.graph, selectionOf(values));
    const plan = makePlan(pipeline.graph, selected, { unscanned: pipeline.unscanned });
    const custom = Object.fromEntries(plan.stages.map((s) => [s.name, s.description]));
    const details = describeStages(config, await toolchainsOf(config, ctx.cwd), custom);
    ctx.stdout(`${renderPlan(plan, format as PlanFormat, details)}\n`);
    return ExitCode.ok;
  },
};

/** Each component's toolchain, as `deps` and `test` will resolve it from the lockfiles on disk. */
async function toolchainsOf(config: GantryConfig, repoRoot: string): Promise<Record<string, Toolchain>> {
  const exists = (file: string) =>
    access(file).then(
      () => true,
      () => false,
    );
  const entries = await Promise.all(
    config.components.map(
      async (c) => [c.name, await resolveToolchain(c, resolve(repoRoot, c.path), exists)] as const,
    ),
  );
  return Object.fromEntries(entries);
}
