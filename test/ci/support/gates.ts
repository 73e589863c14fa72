/**
 * The human approval gate of each CI wrapper, checked structurally (issue 14: the platform approval
 * providers accept any approval on their platform, so the wrapper's gate is the only human check).
 * - GitHub: each approval job runs in an environment (required reviewers are configured on it). A job that
 *   calls the reusable approval workflow passes a non-empty literal `environment`, and that workflow's
 *   `environment` input is required, without a default, and is the job's `environment`.
 * - GitLab: each approval job (after `extends` is resolved against the included component) is
 *   `when: manual` in every rule that runs it, `allow_failure: false` (so later jobs wait), and names an
 *   environment (which the project protects).
 * - Jenkins: each approval stage has an `input` with a `message` and a non-empty `submitter`.
 * Each returns the problems found; empty when every gate is in place.
 */
import { parse } from 'yaml';
import { parseGroovyBlocks } from './groovy-blocks.ts';

/** A GitHub expression, `${{ … }}`. */
const gh = (expression: string) => `\${{ ${expression} }}`;

type Mapping = Record<string, unknown>;
const isMapping = (v: unknown): v is Mapping => typeof v === 'object' && v !== null && !Array.isArray(v);

/** GitHub: `approvalJobs` are the job ids that approve; `reusable` reads a local reusable workflow. */
export function githubGateProblems(
  workflowYaml: string,
  approvalJobs: readonly string[],
  reusable: (path: string) => string,
): string[] {
  const jobs = (parse(workflowYaml) as Mapping).jobs as Record<string, Mapping>;
  const problems: string[] = [];
  for (const id of approvalJobs) {
    const job = jobs[id];
    if (!job) {
      problems.push(`approval job ${id} is missing`);
      continue;
    }
    if (typeof job.uses === 'string') {
      const env = isMapping(job.with) ? job.with.environment : undefined;
      if (typeof env !== 'string' || env.trim() === '' || env.includes('${{')) {
        problems.push(`${id}: calls ${job.uses} without a literal environment`);
      }
      const local = /^\.\/(.+)$/.exec(job.uses)?.[1];
      const path = local ?? /^[^/]+\/[^/]+\/(\.github\/workflows\/[^@]+)@/.exec(job.uses)?.[1];
      if (path === undefined) problems.push(`${id}: unknown reusable workflow ${job.uses}`);
      else problems.push(...reusableGateProblems(reusable(path), path));
    } else if (!hasEnvironment(job.environment)) {
      problems.push(`${id}: runs without an environment (no reviewers can hold it)`);
    }
  }
  return problems;
}

/** The reusable approval workflow: a required `environment` input, no default, used by every job. */
export function reusableGateProblems(yaml: string, path: string): string[] {
  const doc = parse(yaml) as Mapping;
  const on = (doc.on ?? doc[true as unknown as string]) as Mapping;
  const input = ((on?.workflow_call as Mapping)?.inputs as Mapping)?.environment as Mapping | undefined;
  const problems: string[] = [];
  if (!input) problems.push(`${path}: no environment input`);
  else {
    if (input.required !== true) problems.push(`${path}: the environment input is not required`);
    if ('default' in input) problems.push(`${path}: the environment input has a default`);
  }
  for (const [id, job] of Object.entries((doc.jobs ?? {}) as Record<string, Mapping>)) {
    const env = isMapping(job.environment) ? job.environment.name : job.environment;
    if (env !== gh('inputs.environment'))
      problems.push(`${path}: job ${id} does not run in inputs.environment`);
  }
  return problems;
}

function hasEnvironment(env: unknown): boolean {
  const name = isMapping(env) ? env.name : env;
  return typeof name === 'string' && name.trim() !== '';
}

/** Merges `extends` like GitLab: hashes deep-merged, everything else replaced by the extending job. */
function resolveExtends(jobs: Mapping, name: string, seen: string[] = []): Mapping {
  const job = jobs[name];
  if (!isMapping(job)) throw new Error(`unknown job or template ${name}`);
  if (seen.includes(name)) throw new Error(`extends cycle: ${[...seen, name].join(' -> ')}`);
  const parents = job.extends === undefined ? [] : Array.isArray(job.extends) ? job.extends : [job.extends];
  let merged: Mapping = {};
  for (const parent of parents)
    merged = deepMerge(merged, resolveExtends(jobs, String(parent), [...seen, name]));
  const { extends: _, ...own } = job;
  return deepMerge(merged, own);
}

function deepMerge(base: Mapping, over: Mapping): Mapping {
  const out: Mapping = { ...base };
  for (const [k, v] of Object.entries(over)) {
    out[k] = isMapping(v) && isMapping(out[k]) ? deepMerge(out[k] as Mapping, v) : v;
  }
  return out;
}

/**
 * GitLab: `mainYaml` with its `include: local` component files (their spec header dropped, inputs replaced
 * by their defaults or the include's values) merged in; checks each approval job.
 */
export function gitlabGateProblems(
  mainYaml: string,
  approvalJobs: readonly string[],
  readLocal: (path: string) => string,
): string[] {
  const doc = parse(mainYaml) as Mapping;
  const jobs: Mapping = {};
  for (const inc of (doc.include ?? []) as Mapping[]) {
    if (typeof inc.local !== 'string')
      throw new Error(`only include: local is resolved here: ${JSON.stringify(inc)}`);
    Object.assign(jobs, parse(componentBody(readLocal(inc.local), (inc.inputs ?? {}) as Mapping)) as Mapping);
  }
  Object.assign(jobs, doc);
  const problems: string[] = [];
  for (const id of approvalJobs) {
    if (!isMapping(jobs[id])) {
      problems.push(`approval job ${id} is missing`);
      continue;
    }
    const job = resolveExtends(jobs, id);
    const rules = Array.isArray(job.rules) ? (job.rules as Mapping[]) : undefined;
    const runs = rules ? rules.filter((r) => r.when !== 'never') : [job];
    if (runs.length === 0) problems.push(`${id}: never runs`);
    for (const r of runs) {
      if (r.when !== 'manual')
        problems.push(`${id}: a rule runs it without when: manual (${JSON.stringify(r)})`);
    }
    if (job.allow_failure !== false)
      problems.push(`${id}: allow_failure is not false, later jobs would not wait`);
    if (!hasEnvironment(job.environment)) problems.push(`${id}: no environment to protect`);
  }
  return problems;
}

/** A component file's body with `$[[ inputs.x ]]` replaced (given value, else the spec's default). */
export function componentBody(text: string, inputs: Mapping): string {
  const [header, body] = text.split(/^---\s*$/m);
  if (body === undefined) return text;
  const spec = ((parse(header ?? '') as Mapping).spec as Mapping)?.inputs as Record<string, Mapping>;
  return body.replace(/\$\[\[\s*inputs\.([\w-]+)\s*\]\]/g, (_, key: string) => {
    const value = key in inputs ? inputs[key] : spec?.[key]?.default;
    if (value === undefined) throw new Error(`input ${key} has no value and no default`);
    return typeof value === 'string' ? value : JSON.stringify(value);
  });
}

/** Jenkins: each stage named in `approvalStages` has `input { message …; submitter '…' }`. */
export function jenkinsGateProblems(jenkinsfile: string, approvalStages: readonly string[]): string[] {
  const root = parseGroovyBlocks(jenkinsfile);
  const stages = root.blocks.find((b) => b.name === 'pipeline')?.blocks.find((b) => b.name === 'stages');
  const problems: string[] = [];
  for (const name of approvalStages) {
    const stage = stages?.blocks.find((b) => b.name === 'stage' && b.args === `'${name}'`);
    if (!stage) {
      problems.push(`approval stage ${name} is missing`);
      continue;
    }
    const input = stage.blocks.find((b) => b.name === 'input');
    if (!input) {
      problems.push(`stage ${name}: no input directive`);
      continue;
    }
    const submitter = input.statements.find((s) => s.name === 'submitter');
    if (!submitter || !/^submitter\s+(['"])[^'"\s]+.*\1$/.test(submitter.text)) {
      problems.push(`stage ${name}: input without a submitter (any user with Job/Build could approve)`);
    }
    if (!input.statements.some((s) => s.name === 'message'))
      problems.push(`stage ${name}: input without a message`);
  }
  return problems;
}
