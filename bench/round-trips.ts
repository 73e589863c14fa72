/**
 * Engine round trips of the full pipeline against the floor.
 *
 * The floor is defined from what each stage must learn from the engine, independently of what the code
 * chooses to read: one request per exec whose result the pipeline needs (its exit code, output and files
 * can all be selected in one GraphQL query on the same container), plus one per image published (the
 * digest). Every exec the engine ran is one whose result decides the run, so the floor is the distinct execs
 * plus the publishes. A scanner run that costs three reads (exit code, stderr, report file) is 1 at the floor.
 * The old measure, distinct values read (every leaf but `id`, once per object chain), is kept as a second
 * line: it cannot show an unnecessary read, since it counts the reads the code chose to make.
 */
import type { RecordedCall, TestEngine } from '../test/support/engine/index.ts';
import { startTestEngine } from '../test/support/engine/index.ts';
import { fullPipelineScenario } from '../test/support/scenarios.ts';
import { benchRun, tempOut } from './pipeline.ts';

/** What one full run sent. */
export interface RoundTrips {
  requests: number;
  /** The floor: one request per exec whose result is needed, plus one per publish. */
  floor: number;
  /** Distinct execs the engine ran, and images published. */
  execs: number;
  publishes: number;
  /** Value reads (non-`id` leaves) and how many of them were distinct. */
  values: number;
  distinctValues: number;
  /** `id` lookups, and how many of them asked again for an ID already fetched. */
  idLookups: number;
  repeatedIdLookups: number;
  /** `sync` calls, and those whose container a later read evaluates anyway. */
  syncs: number;
  redundantSyncs: number;
  /** The last command of each redundant sync's container, to find it in the code. */
  redundantSyncCommands: string[];
  /** Requests by `Type.leaf`. */
  byLeaf: Record<string, number>;
}

const leafOf = (call: RecordedCall) => call.steps.at(-1)?.field ?? '';
const objectKey = (call: RecordedCall) => JSON.stringify(call.steps.slice(0, -1));

/** Classifies the recorded calls of one run. */
export function countRoundTrips(engine: TestEngine): RoundTrips {
  const { calls } = engine;
  const values = calls.filter((c) => leafOf(c) !== 'id');
  const ids = calls.filter((c) => leafOf(c) === 'id');
  const distinct = (list: RecordedCall[]) => new Set(list.map((c) => JSON.stringify(c.steps))).size;
  const syncs = values.filter((c) => leafOf(c) === 'sync');
  const later = (sync: RecordedCall) =>
    values.some((c) => {
      if (c === sync || c.request <= sync.request) return false;
      const key = objectKey(sync);
      return objectKey(c).startsWith(key.slice(0, -1));
    });
  const byLeaf: Record<string, number> = {};
  for (const c of calls) byLeaf[`${c.type}.${leafOf(c)}`] = (byLeaf[`${c.type}.${leafOf(c)}`] ?? 0) + 1;
  const publishes = values.filter((c) => leafOf(c) === 'publish').length;
  const execs = engine.execs().length;
  return {
    requests: engine.requests.length,
    floor: execs + publishes,
    execs,
    publishes,
    values: values.length,
    distinctValues: distinct(values),
    idLookups: ids.length,
    repeatedIdLookups: ids.length - distinct(ids),
    syncs: syncs.length,
    redundantSyncs: syncs.filter(later).length,
    redundantSyncCommands: syncs.filter(later).map((c) => lastCommand(c)),
    byLeaf,
  };
}

/** Runs the full nine-stage pipeline once against a fresh engine and counts its round trips. */
export async function measureRoundTrips(): Promise<RoundTrips> {
  const engine = await startTestEngine(fullPipelineScenario());
  const out = await tempOut();
  try {
    await benchRun(engine, [], out.manifest);
    return countRoundTrips(engine);
  } finally {
    await engine.close();
    await out.cleanup();
  }
}

function lastCommand(call: RecordedCall): string {
  const exec = call.steps.findLast((s) => s.field === 'withExec');
  return ((exec?.args.args as string[] | undefined) ?? []).join(' ').slice(0, 60) || call.type;
}
