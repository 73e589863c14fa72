/**
 * Engine round trips of the full pipeline against the floor.
 *
 * The floor is one request per distinct value the pipeline reads from the engine: every leaf other than
 * `id` (stdout, contents, exitCode, publish, export, sync, …), counted once per distinct object chain and
 * leaf. An `id` lookup is not a value: the SDK asks for an object's ID in a request of its own before it
 * can pass the object as an argument, so every ID lookup is overhead above the floor.
 */
import type { RecordedCall, TestEngine } from '../test/support/engine/index.ts';
import { startTestEngine } from '../test/support/engine/index.ts';
import { fullPipelineScenario } from '../test/support/scenarios.ts';
import { benchRun, tempOut } from './pipeline.ts';

/** What one full run sent. */
export interface RoundTrips {
  requests: number;
  /** Value reads (non-`id` leaves) and how many of them were distinct: the floor. */
  values: number;
  floor: number;
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
  return {
    requests: engine.requests.length,
    values: values.length,
    floor: distinct(values),
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
