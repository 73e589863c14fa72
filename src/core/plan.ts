import type { StageGraph } from './graph.ts';
import { renderStageDetail, type StageDetail } from './plan-details.ts';

export { describeStages, type StageDetail } from './plan-details.ts';

/** One stage in a plan. */
export interface PlannedStage {
  name: string;
  phase: string;
  needs: string[];
  selected: boolean;
  /** Runs after the others whatever happened. */
  always: boolean;
  /** One line on what the stage does, when the definition gives one. */
  description?: string | undefined;
}

/** The stage graph with a selection applied: what `gantry run` would execute. */
export interface Plan {
  version: 2;
  /** The phases (CI jobs), in order. */
  phases: string[];
  stages: PlannedStage[];
  /** The selected stages, in dependency order. */
  order: string[];
  /** Set when the pipeline deploys without a scan stage (`allowUnscanned: true`). */
  unscanned?: boolean | undefined;
}

/** Output formats of `gantry plan`. */
export const PLAN_FORMATS = ['text', 'json', 'mermaid'] as const;
/** One output format of `gantry plan`. */
export type PlanFormat = (typeof PLAN_FORMATS)[number];

/** Builds the plan of a stage graph for a list of selected stages (see `selectStages`). */
export function makePlan(
  graph: StageGraph<{
    name: string;
    phase: string;
    needs: readonly string[];
    always?: boolean | undefined;
    description?: string | undefined;
  }>,
  selected: readonly string[],
  options: { unscanned?: boolean | undefined } = {},
): Plan {
  return {
    version: 2,
    phases: [...graph.phases],
    stages: graph.stages.map((s) => ({
      name: s.name,
      phase: s.phase,
      needs: [...s.needs],
      selected: selected.includes(s.name),
      always: Boolean(s.always),
      ...(s.description ? { description: s.description } : {}),
    })),
    order: graph.stages.filter((s) => selected.includes(s.name)).map((s) => s.name),
    ...(options.unscanned ? { unscanned: true } : {}),
  };
}

/**
 * Renders a plan in one of the {@link PLAN_FORMATS}. With `details` (from `describeStages`), the text and
 * JSON forms show what each selected stage does: components, images, commands, registry, environment.
 */
export function renderPlan(
  plan: Plan,
  format: PlanFormat,
  details?: Readonly<Record<string, StageDetail>>,
): string {
  switch (format) {
    case 'json':
      return JSON.stringify(details ? { ...plan, details: selectedDetails(plan, details) } : plan, null, 2);
    case 'mermaid':
      return renderMermaid(plan);
    case 'text':
      return renderText(plan, details);
  }
}

function selectedDetails(plan: Plan, details: Readonly<Record<string, StageDetail>>) {
  return Object.fromEntries(plan.order.flatMap((s) => (details[s] ? [[s, details[s]]] : [])));
}

function renderText(plan: Plan, details?: Readonly<Record<string, StageDetail>>): string {
  const lines = [`${plan.order.length} of ${plan.stages.length} stages selected, in dependency order:`];
  const width = Math.max(...plan.stages.map((s) => s.name.length), 10) + 2;
  const phaseWidth = Math.max(...plan.phases.map((p) => p.length), 6) + 2;
  let n = 0;
  for (const stage of plan.stages.filter((s) => s.selected)) {
    n += 1;
    const needs = stage.needs.map((d) => (plan.order.includes(d) ? d : `${d} (from manifest)`));
    lines.push(
      `  ${String(n).padStart(2)}. ${stage.name.padEnd(width)} ${stage.phase.padEnd(phaseWidth)} ${stage.always ? 'always (runs last, whatever happened)' : `needs: ${needs.join(', ') || '-'}`}`,
    );
    const detail = details?.[stage.name];
    if (detail) lines.push(...renderStageDetail(detail));
  }
  if (plan.unscanned)
    lines.push('WARNING: this pipeline deploys without a scan stage (allowUnscanned: true)');
  return lines.join('\n');
}

function renderMermaid(plan: Plan): string {
  const id = (s: string) => s.replace(/-/g, '_');
  const lines = ['flowchart LR'];
  for (const stage of plan.stages) lines.push(`  ${id(stage.name)}["${stage.name}"]`);
  for (const stage of plan.stages)
    for (const need of stage.needs) lines.push(`  ${id(need)} --> ${id(stage.name)}`);
  const skipped = plan.stages.filter((s) => !s.selected).map((s) => id(s.name));
  if (skipped.length > 0) {
    lines.push('  classDef skipped stroke-dasharray: 5 5,opacity:0.5');
    lines.push(`  class ${skipped.join(',')} skipped`);
  }
  return lines.join('\n');
}
