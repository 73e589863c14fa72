/**
 * Derives, from each CI wrapper, the ordered `gantry` invocations its jobs/stages make: the data the
 * parity test compares. YAML is parsed with `yaml`; the Jenkinsfile with the small block reader.
 */
import { parse } from 'yaml';
import { componentBody } from './gates.ts';
import { type GroovyBlock, parseGroovyBlocks } from './groovy-blocks.ts';

/** One call of gantry in a wrapper. */
export interface Invocation {
  /** The job or stage that makes it. */
  readonly where: string;
  /** Arguments after `gantry`, e.g. `['run', '--phase', 'verify']`. */
  readonly argv: string[];
}

const GANTRY = /(?:^|[\s;&|(])(?:npx\s+(?:--no-install\s+)?gantry|\$\{?GANTRY\}?)\s+([^\n;&|]*)/g;
/** Words a wrapper adds that only say where the config is or pass platform flags, not which stages run. */
const NOT_SELECTION = /^(--config|"\$GANTRY_CONFIG"|\$GANTRY_CONFIG|\$GANTRY_RUN_FLAGS)$/;

/** Every gantry invocation in a shell snippet, in order. */
export function gantryCalls(shell: string): string[][] {
  return [...shell.matchAll(GANTRY)].map((m) =>
    (m[1] ?? '')
      .trim()
      .split(/\s+/)
      .filter((w) => !NOT_SELECTION.test(w))
      .map(unquote),
  );
}

function unquote(word: string): string {
  return word.replace(/^(['"])(.*)\1$/, '$2');
}

type Mapping = Record<string, unknown>;
const isMapping = (v: unknown): v is Mapping => typeof v === 'object' && v !== null && !Array.isArray(v);
const asList = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);

/** Everything a job waits for, directly or through other jobs. */
function ancestors(name: string, needs: (name: string) => string[], seen = new Set<string>()): Set<string> {
  for (const dep of needs(name)) {
    if (!seen.has(dep)) {
      seen.add(dep);
      ancestors(dep, needs, seen);
    }
  }
  return seen;
}

/**
 * Checks that the jobs making gantry calls run one after the other: each waits (transitively) for the
 * previous one, so the platform cannot run them in parallel or in another order.
 */
function requireChain(
  calls: Invocation[],
  waitsFor: (later: string, earlier: string) => boolean,
): Invocation[] {
  for (const [i, call] of calls.entries()) {
    const previous = calls[i - 1];
    if (previous && previous.where !== call.where && !waitsFor(call.where, previous.where)) {
      throw new Error(
        `${call.where} does not wait for ${previous.where}: they may run in parallel or reordered`,
      );
    }
  }
  return calls;
}

/** Jobs in dependency order (`needs`), ties broken by document order; a cycle or unknown need throws. */
function topological(names: string[], needs: (name: string) => string[]): string[] {
  const order: string[] = [];
  const pending = new Set(names);
  while (pending.size > 0) {
    const ready = [...pending].find((n) => needs(n).every((d) => order.includes(d)));
    if (ready === undefined) {
      const missing = [...pending].flatMap((n) => needs(n).filter((d) => !names.includes(d)));
      throw new Error(
        missing.length ? `unknown needs: ${missing.join(', ')}` : `needs cycle among ${[...pending]}`,
      );
    }
    order.push(ready);
    pending.delete(ready);
  }
  return order;
}

/** The `gantry run` a step or job makes through Gantry's action or approval workflow, from its `with:`. */
function actionCall(uses: unknown, inputs: unknown): string[][] {
  if (typeof uses !== 'string' || !isMapping(inputs)) return [];
  const isAction = uses === './' || /^gantry-ci\/gantry@/.test(uses);
  const isApproval = /gantry-approve\.yml(@|$)/.test(uses);
  if (!isAction && !isApproval) return [];
  if (inputs['always-only'] === true || inputs['always-only'] === 'true') return [['run', '--always-only']];
  const argv = ['run', '--phase', String(inputs.phase)];
  if (inputs['skip-always'] === true) argv.push('--skip-always');
  return [argv];
}

/** GitHub Actions workflow: jobs in `needs` order; `run:` steps and calls of Gantry's action in step order. */
export function githubInvocations(workflowYaml: string): Invocation[] {
  const doc = parse(workflowYaml) as Mapping;
  const jobs = doc.jobs as Record<string, Mapping>;
  const needs = (n: string) => asList(jobs[n]?.needs).map(String);
  const calls = topological(Object.keys(jobs), needs).flatMap((job) =>
    [
      ...actionCall(jobs[job]?.uses, jobs[job]?.with),
      ...asList(jobs[job]?.steps)
        .filter(isMapping)
        .flatMap((step) => [
          ...gantryCalls(typeof step.run === 'string' ? step.run : ''),
          ...actionCall(step.uses, step.with),
        ]),
    ].map((argv) => ({ where: job, argv })),
  );
  return requireChain(calls, (later, earlier) => ancestors(later, needs).has(earlier));
}

/**
 * GitLab CI: `include: local` files merged (later keys win, as GitLab does for top-level keys), visible
 * jobs ordered by stage then `needs`, `script` lines in order.
 */
export function gitlabInvocations(mainYaml: string, readLocal: (path: string) => string): Invocation[] {
  const doc = parse(mainYaml) as Mapping;
  const merged: Mapping = {};
  for (const inc of asList(doc.include)) {
    const path = isMapping(inc) ? inc.local : inc;
    if (typeof path !== 'string')
      throw new Error(`only include: local is resolved here, got ${JSON.stringify(inc)}`);
    const inputs = isMapping(inc) && isMapping(inc.inputs) ? inc.inputs : {};
    Object.assign(merged, parse(componentBody(readLocal(path.replace(/^\//, '')), inputs)) as Mapping);
  }
  Object.assign(merged, doc);
  const stages = ['.pre', ...asList(merged.stages).map(String), '.post'];
  const jobNames = Object.keys(merged).filter(
    (k) => !k.startsWith('.') && isMapping(merged[k]) && 'script' in (merged[k] as Mapping),
  );
  const stageOf = (n: string) => {
    const stage = String((merged[n] as Mapping).stage ?? 'test');
    const index = stages.indexOf(stage);
    if (index < 0) throw new Error(`job ${n}: stage "${stage}" is not in stages [${stages}]`);
    return index;
  };
  const needs = (n: string) =>
    asList((merged[n] as Mapping).needs).map((d) => (isMapping(d) ? String(d.job) : String(d)));
  const byStage = [...jobNames].sort((a, b) => stageOf(a) - stageOf(b));
  for (const job of byStage) {
    for (const dep of needs(job)) {
      if (!jobNames.includes(dep)) throw new Error(`job ${job}: needs unknown job ${dep}`);
      if (stageOf(dep) > stageOf(job)) throw new Error(`job ${job}: needs ${dep} from a later stage`);
    }
  }
  const calls = topological(byStage, needs).flatMap((job) =>
    asList((merged[job] as Mapping).script)
      .flatMap((line) => gantryCalls(String(line)))
      .map((argv) => ({ where: job, argv })),
  );
  // A job with `needs` starts as soon as those finish; without, it waits for every earlier stage.
  const waitsFor = (later: string, earlier: string): boolean =>
    'needs' in (merged[later] as Mapping)
      ? ancestors(later, needs).has(earlier)
      : stageOf(later) > stageOf(earlier);
  return requireChain(calls, waitsFor);
}

/** Jenkins declarative pipeline: stages in file order, `sh` steps and `gantry(…)` library steps inside each. */
export function jenkinsInvocations(jenkinsfile: string): Invocation[] {
  const root = parseGroovyBlocks(jenkinsfile);
  const pipeline = root.blocks.find((b) => b.name === 'pipeline');
  const stages = pipeline?.blocks.find((b) => b.name === 'stages');
  if (!stages) throw new Error('no pipeline { stages { } } found');
  return stages.blocks
    .filter((b) => b.name === 'stage')
    .flatMap((stage) =>
      [...shSteps(stage).flatMap(gantryCalls), ...librarySteps(stage)].map((argv) => ({
        where: `stage(${stage.args})`,
        argv,
      })),
    );
}

/** `gantry(phase: 'x', skipAlways: true, …)` calls of the shared library step, as `gantry run` argv. */
function librarySteps(block: GroovyBlock): string[][] {
  const own = block.statements
    .filter((s) => s.name === 'gantry')
    .map((s) => {
      if (/alwaysOnly:\s*true/.test(s.text)) return ['run', '--always-only'];
      const phase = /phase:\s*'([^']+)'/.exec(s.text)?.[1];
      if (phase === undefined) throw new Error(`gantry step without a phase: ${s.text}`);
      return ['run', '--phase', phase, ...(/skipAlways:\s*true/.test(s.text) ? ['--skip-always'] : [])];
    });
  return [...own, ...block.blocks.filter((b) => b.name !== 'post').flatMap(librarySteps)];
}

function shSteps(block: GroovyBlock): string[] {
  const own = block.statements
    .filter((s) => s.name === 'sh')
    .map((s) =>
      unquote(
        s.text
          .replace(/^sh\s*\(?\s*/, '')
          .replace(/\)\s*$/, '')
          .trim(),
      ),
    );
  return [...own, ...block.blocks.filter((b) => b.name !== 'post').flatMap(shSteps)];
}
