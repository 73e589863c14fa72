import { NEEDS, type PhaseName, phaseOf, STAGES, type StageName } from './graph.ts';

/** One stage in a plan. */
export interface PlannedStage {
  name: StageName;
  phase: PhaseName;
  needs: StageName[];
  selected: boolean;
}

/** The stage graph with a selection applied: what `gantry run` would execute. */
export interface Plan {
  version: 1;
  stages: PlannedStage[];
  /** The selected stages, in dependency order. */
  order: StageName[];
}

/** Output formats of `gantry plan`. */
export const PLAN_FORMATS = ['text', 'json', 'mermaid'] as const;
/** One output format of `gantry plan`. */
export type PlanFormat = (typeof PLAN_FORMATS)[number];

/** Builds the plan for a list of selected stages (see `selectStages`). */
export function makePlan(selected: readonly StageName[]): Plan {
  return {
    version: 1,
    stages: STAGES.map((name) => ({
      name,
      phase: phaseOf(name),
      needs: [...NEEDS[name]],
      selected: selected.includes(name),
    })),
    order: STAGES.filter((s) => selected.includes(s)),
  };
}

/** Renders a plan in one of the {@link PLAN_FORMATS}. */
export function renderPlan(plan: Plan, format: PlanFormat): string {
  switch (format) {
    case 'json':
      return JSON.stringify(plan, null, 2);
    case 'mermaid':
      return renderMermaid(plan);
    case 'text':
      return renderText(plan);
  }
}

function renderText(plan: Plan): string {
  const lines = [`${plan.order.length} of ${plan.stages.length} stages selected, in dependency order:`];
  let n = 0;
  for (const stage of plan.stages.filter((s) => s.selected)) {
    n += 1;
    const needs = stage.needs.map((d) => (plan.order.includes(d) ? d : `${d} (from manifest)`));
    lines.push(
      `  ${String(n).padStart(2)}. ${stage.name.padEnd(18)} ${stage.phase.padEnd(8)} needs: ${needs.join(', ') || '-'}`,
    );
  }
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
