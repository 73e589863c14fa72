import { ExitCode, InputError } from '../../core/errors.ts';
import { selectStages } from '../../core/graph.ts';
import { makePlan, PLAN_FORMATS, type PlanFormat, renderPlan } from '../../core/plan.ts';
import { noPositionals, parseFlags, selectionFlags, selectionOf } from './args.ts';
import type { Command } from './command.ts';
import { loadPipeline } from './pipeline.ts';

const usage =
  'gantry plan [--format text|json|mermaid] [--phase P] [--only S,…] [--from S] [--until S] [--config gantry.yaml]';

/** `gantry plan`: prints the stage graph that `run` would execute, without an engine. */
export const planCommand: Command = {
  name: 'plan',
  summary: 'show the stages `run` would execute, in dependency order (no engine needed)',
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
    const { pipeline } = await loadPipeline(ctx, values.config);
    const selected = selectStages(pipeline.graph, selectionOf(values));
    const plan = makePlan(pipeline.graph, selected, { unscanned: pipeline.unscanned });
    ctx.stdout(`${renderPlan(plan, format as PlanFormat)}\n`);
    return ExitCode.ok;
  },
};
