import { InputError } from './errors.ts';

/** What the graph needs to know about one stage. */
export interface GraphNode {
  readonly name: string;
  readonly phase: string;
  readonly needs: readonly string[];
  readonly always?: boolean | undefined;
}

/** A validated stage graph: stages in dependency (topological) order and the phases in order. */
export interface StageGraph<N extends GraphNode = GraphNode> {
  /** Every stage, in dependency order (ties keep the definition's order). */
  readonly stages: readonly N[];
  /** Every phase, in order. */
  readonly phases: readonly string[];
}

const NAME = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
const HINT = 'fix the stage list in pipeline/main.ts (gantry plan shows the graph)';

function invalid(message: string, hint = HINT): InputError {
  return new InputError('DEFINITION_INVALID', `pipeline definition: ${message}`, { hint });
}

/**
 * Validates a stage list and orders it. Refused (exit 2, before any engine starts): a bad or duplicate name,
 * an unknown or self `needs`, a cycle, an `always` stage that others need, and phases whose order contradicts
 * the needs (a stage needing a stage of a later phase).
 */
export function buildGraph<N extends GraphNode>(
  nodes: readonly N[],
  phaseOrder?: readonly string[],
): StageGraph<N> {
  const byName = new Map<string, N>();
  for (const node of nodes) {
    if (!NAME.test(node.name)) {
      throw invalid(
        `stage name "${node.name}" is not a DNS label`,
        'use lowercase letters, digits and dashes',
      );
    }
    if (!NAME.test(node.phase)) {
      throw invalid(
        `stage ${node.name}: phase "${node.phase}" is not a DNS label`,
        'use lowercase letters, digits and dashes',
      );
    }
    if (byName.has(node.name)) throw invalid(`two stages are named "${node.name}"`);
    byName.set(node.name, node);
  }
  for (const node of nodes) {
    for (const need of node.needs) {
      if (need === node.name) throw invalid(`stage ${node.name} needs itself`);
      const target = byName.get(need);
      if (!target) {
        throw invalid(
          `stage ${node.name} needs "${need}", which is not in the pipeline`,
          `use one of: ${[...byName.keys()].join(', ')}`,
        );
      }
      if (target.always && !node.always)
        throw invalid(`stage ${node.name} needs ${need}, an always stage (always stages run last)`);
    }
  }
  const ordered = topologicalOrder(nodes, byName);
  const phases = orderPhases(ordered, phaseOrder);
  const index = new Map(phases.map((p, i) => [p, i]));
  for (const node of ordered) {
    for (const need of node.needs) {
      const target = byName.get(need) as N;
      if ((index.get(target.phase) ?? 0) > (index.get(node.phase) ?? 0)) {
        throw invalid(
          `stage ${node.name} (phase ${node.phase}) needs ${need}, which runs in the later phase ${target.phase}`,
          'move one of the stages to another phase, or reorder `phases`',
        );
      }
    }
  }
  return { stages: ordered, phases };
}

function topologicalOrder<N extends GraphNode>(nodes: readonly N[], byName: ReadonlyMap<string, N>): N[] {
  const state = new Map<string, 'visiting' | 'done'>();
  const out: N[] = [];
  const visit = (node: N, path: string[]) => {
    const seen = state.get(node.name);
    if (seen === 'done') return;
    if (seen === 'visiting') {
      const cycle = [...path.slice(path.indexOf(node.name)), node.name];
      throw invalid(`the needs form a cycle: ${cycle.join(' → ')}`);
    }
    state.set(node.name, 'visiting');
    for (const need of node.needs) visit(byName.get(need) as N, [...path, node.name]);
    state.set(node.name, 'done');
    out.push(node);
  };
  // always stages go last, whatever their position in the list (a stable sort keeps the others' order).
  for (const node of [...nodes].sort((a, b) => Number(a.always) - Number(b.always))) visit(node, []);
  return out;
}

function orderPhases(ordered: readonly GraphNode[], given: readonly string[] | undefined): string[] {
  const used = [...new Set(ordered.map((n) => n.phase))];
  if (!given) return used;
  const missing = used.filter((p) => !given.includes(p));
  if (missing.length > 0) {
    throw invalid(
      `phase ${missing.join(', ')} is used by a stage but not listed in \`phases\``,
      'add it to `phases`',
    );
  }
  return given.filter((p) => used.includes(p));
}

/** Which stages to run. Every given criterion narrows the selection; none selects every stage. */
export interface Selection {
  /** Only the stages of this phase. @default all phases */
  phase?: string | undefined;
  /** Exactly these stages. @default all */
  only?: readonly string[] | undefined;
  /** This stage and every stage that depends on it, directly or not. @default all */
  from?: string | undefined;
  /** This stage and every stage it depends on, directly or not. @default all */
  until?: string | undefined;
  /** `only`: just the `always` stages (the final CI job); `skip`: none of them (phase jobs). @default include */
  always?: 'only' | 'skip' | undefined;
}

/**
 * Returns the names of the selected stages in dependency order. Unknown names and empty selections are
 * {@link InputError}s (exit 2). `always` stages are selected with the others unless a criterion leaves them out.
 */
export function selectStages(graph: StageGraph, selection: Selection = {}): string[] {
  const { phase, only, from, until, always } = selection;
  const names = graph.stages.map((s) => s.name);
  const known = (name: string, flag: string) => {
    if (!names.includes(name)) {
      throw new InputError('UNKNOWN_STAGE', `${flag}: unknown stage "${name}"`, {
        hint: `use one of: ${names.join(', ')}`,
      });
    }
    return name;
  };
  let chosen = [...graph.stages];
  if (phase !== undefined) {
    if (!graph.phases.includes(phase)) {
      throw new InputError('UNKNOWN_PHASE', `--phase: no stage is in phase "${phase}"`, {
        hint: `use one of: ${graph.phases.join(', ')}`,
      });
    }
    chosen = chosen.filter((s) => s.phase === phase);
  }
  if (only !== undefined) {
    const wanted = only.map((n) => known(n, '--only'));
    chosen = chosen.filter((s) => wanted.includes(s.name));
  }
  if (from !== undefined) {
    const after = dependents(graph, known(from, '--from'));
    chosen = chosen.filter((s) => after.has(s.name));
  }
  if (until !== undefined) {
    const before = dependencies(graph, known(until, '--until'));
    chosen = chosen.filter((s) => before.has(s.name));
  }
  if (always === 'only') chosen = chosen.filter((s) => s.always);
  if (always === 'skip') chosen = chosen.filter((s) => !s.always);
  if (chosen.length === 0) {
    throw new InputError('EMPTY_SELECTION', 'the selection matches no stage', {
      hint: 'check that --phase, --only, --from and --until overlap (gantry plan shows the result)',
    });
  }
  return chosen.map((s) => s.name);
}

/** The stage and every stage that needs it, directly or not. */
export function dependents(graph: StageGraph, name: string): Set<string> {
  const out = new Set([name]);
  for (const stage of graph.stages) {
    if (stage.needs.some((n) => out.has(n))) out.add(stage.name);
  }
  return out;
}

/** The stage and every stage it needs, directly or not. */
export function dependencies(graph: StageGraph, name: string): Set<string> {
  const byName = new Map(graph.stages.map((s) => [s.name, s]));
  const out = new Set<string>();
  const visit = (n: string) => {
    if (out.has(n)) return;
    out.add(n);
    for (const need of byName.get(n)?.needs ?? []) visit(need);
  };
  visit(name);
  return out;
}
