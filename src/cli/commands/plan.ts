import { ExitCode, InputError } from '../../core/errors.ts';
import { selectStages } from '../../core/graph.ts';
import { makePlan, PLAN_FORMATS, type PlanFormat, renderPlan } from '../../core/plan.ts';
import { parseFlags, selectionFlags, splitList } from './args.ts';
import type { Command } from './command.ts';

const usage = 'gantry plan [--format text|json|mermaid] [--phase P] [--only S,…] [--from S] [--until S]';

/** `gantry plan`: prints the stage graph that `run` would execute, without an engine. */
export const planCommand: Command = {
  name: 'plan',
  summary: 'show the stages `run` would execute, in dependency order (no engine needed)',
  usage,
  async run(ctx) {
    const { values } = parseFlags(
      'plan',
      ctx.args,
      { ...selectionFlags, format: { type: 'string', default: 'text' } },
      usage,
    );
    const format = values.format as string;
    if (!(PLAN_FORMATS as readonly string[]).includes(format)) {
      throw new InputError('BAD_ARGUMENTS', `gantry plan: unknown format "${format}"`, {
        hint: `use one of: ${PLAN_FORMATS.join(', ')}`,
      });
    }
    const selected = selectStages({ ...values, only: splitList(values.only) });
    ctx.stdout(`${renderPlan(makePlan(selected), format as PlanFormat)}\n`);
    return ExitCode.ok;
  },
};
