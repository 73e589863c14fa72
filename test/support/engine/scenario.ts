import { posix } from 'node:path';
import { type Chain, lineage, type Step } from './chain.ts';

/** Scripted result of the `withExec` calls whose argv matches. First matching rule wins. */
export interface ExecRule {
  /** Exact argv, a RegExp tested against `argv.join(' ')`, or a predicate. */
  argv: string[] | RegExp | ((argv: string[]) => boolean);
  /** @default '' */
  stdout?: string;
  /** @default '' */
  stderr?: string;
  /** @default 0 */
  exitCode?: number;
  /** Time the exec takes, to measure parallelism. @default 0 */
  delayMs?: number;
}

/** A transport fault injected into requests, for reliability tests. */
export interface Fault {
  /** `http500`: plain 500 response; `drop`: socket destroyed; `slow`: answer after `delayMs`. */
  kind: 'http500' | 'drop' | 'slow';
  /** Requests served normally before the fault starts. @default 0 */
  afterRequests?: number;
  /** How many requests fail; then the engine recovers. @default unlimited */
  times?: number;
  /** Delay for `slow`. @default 1000 */
  delayMs?: number;
}

/** A leaf being resolved, as passed to {@link Scenario.leaves}. */
export interface LeafQuery {
  /** Type that owns the leaf, e.g. `Container`. */
  type: string;
  field: string;
  args: Record<string, unknown>;
  /** Expanded chain of the leaf's object, from `Query` down. */
  steps: Step[];
}

/** What the engine answers; everything unscripted gets a neutral default. */
export interface Scenario {
  exec?: ExecRule[];
  /**
   * `File.contents` by path, or computed from the file's chain. The path joins the `directory(path)`
   * and `file(path)` calls that led to the file: `host().directory('src').file('a/b')` is `src/a/b`.
   */
  files?: Record<string, string> | ((steps: Step[]) => string | undefined);
  /** `Directory.entries` by path; defaults to the children in `files` (directories end in `/`). */
  entries?: Record<string, string[]> | ((steps: Step[]) => string[] | undefined);
  /** `Secret.plaintext` of `dag.secret(uri)`, by URI. */
  secrets?: Record<string, string>;
  /** Escape hatch for any leaf: return `undefined` to fall back to the default. */
  leaves?: (leaf: LeafQuery) => unknown;
  /** Added to every request before it is answered. @default 0 */
  latencyMs?: number;
  fault?: Fault;
}

/** The first rule matching `argv`, if any. */
export function matchExec(rules: readonly ExecRule[], argv: string[]): ExecRule | undefined {
  return rules.find(({ argv: want }) => {
    if (want instanceof RegExp) return want.test(argv.join(' '));
    if (typeof want === 'function') return want(argv);
    return want.length === argv.length && want.every((arg, i) => arg === argv[i]);
  });
}

/** Contents of the file object `chain`: `withNewFile` in its chain, then the scenario, then ''. */
export function fileContents(scenario: Scenario, chain: Chain, steps: Step[]): string {
  const path = objectPath(chain);
  const absolute = (p: unknown) => posix.join('/', String(p));
  const written = steps.findLast(
    (step) => step.field === 'withNewFile' && absolute(step.args.path) === absolute(path),
  );
  if (written) return String(written.args.contents ?? '');
  if (chain.field === 'file' && chain.parent?.type === 'Query') return String(chain.args.contents ?? '');
  const { files } = scenario;
  if (typeof files === 'function') return files(steps) ?? '';
  return files?.[path] ?? '';
}

/** Entries of directory `chain` (of its `sub` directory when given). */
export function directoryEntries(scenario: Scenario, chain: Chain, steps: Step[], sub?: string): string[] {
  const { entries, files } = scenario;
  if (typeof entries === 'function') return entries(steps) ?? [];
  const dir = sub ? posix.join(objectPath(chain), sub) : objectPath(chain);
  if (entries) return entries[dir] ?? [];
  if (typeof files !== 'object') return [];
  const prefix = dir === '.' ? '' : `${dir}/`;
  const names = Object.keys(files)
    .filter((path) => path.startsWith(prefix))
    .map((path) => path.slice(prefix.length).replace(/\/.*$/, '/'));
  return [...new Set(names)].sort();
}

/** Path of a Directory/File object: its `directory(path)` / `file(path)` calls joined ('.' for a root). */
export function objectPath(chain: Chain): string {
  let path = '.';
  for (const link of lineage(chain)) {
    const named = (link.field === 'directory' || link.field === 'file') && typeof link.args.path === 'string';
    if (named)
      path =
        link.parent?.type === 'Directory'
          ? posix.join(path, String(link.args.path))
          : posix.join(String(link.args.path));
    else if (link.type !== 'Directory' && link.type !== 'File') path = '.';
  }
  return path;
}
