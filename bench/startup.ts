/**
 * Start-up: `gantry plan` and `gantry validate` as fresh processes running the TypeScript entry point
 * (`tsx pipeline/main.ts`, what `npm run gantry` and a source checkout's bin run) against `node -e 0` and
 * tsx running an empty file (the floor for a TypeScript entry point).
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from './pipeline.ts';
import { median } from './stats.ts';

/** Median wall time of each command, in milliseconds. */
export interface StartUp {
  node: number;
  tsxEmpty: number;
  plan: number;
  validate: number;
}

/** Median wall time of `runs` spawns of `argv` (after one warm-up for the file system cache). */
export function timeSpawn(argv: string[], runs: number): number {
  const [command = 'node', ...args] = argv;
  const once = () => {
    const t0 = performance.now();
    const result = spawnSync(command, args, { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
    const elapsed = performance.now() - t0;
    if (result.status !== 0)
      throw new Error(`bench: ${argv.join(' ')} exited ${result.status}: ${result.stderr}`);
    return elapsed;
  };
  once();
  return median(Array.from({ length: runs }, once));
}

/** Measures the four commands, `runs` times each. */
export async function measureStartUp(runs = 5): Promise<StartUp> {
  const dir = await mkdtemp(join(tmpdir(), 'gantry-bench-startup-'));
  try {
    const empty = join(dir, 'empty.ts');
    await writeFile(empty, '');
    const tsx = join(REPO_ROOT, 'node_modules/.bin/tsx');
    const main = join(REPO_ROOT, 'pipeline/main.ts');
    return {
      node: timeSpawn([process.execPath, '-e', '0'], runs),
      tsxEmpty: timeSpawn([tsx, empty], runs),
      plan: timeSpawn([tsx, main, 'plan'], runs),
      validate: timeSpawn([tsx, main, 'validate'], runs),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
