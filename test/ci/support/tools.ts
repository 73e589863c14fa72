/**
 * Runs the pinned validator tools through npx (Node 22 where they need it). Versions are pinned here and
 * installed ahead of time by .ci/run; a tool that cannot be installed makes its test skip with a message.
 */
import { execFile } from 'node:child_process';

/** Pinned versions of the validators run through npx. */
export const TOOL_VERSIONS = {
  node: '22',
  gitlabCiLocal: '4.75.1',
  npmGroovyLint: '18.0.0',
} as const;

/** Result of one tool run. */
export interface ToolRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command without a shell; resolves with its exit code and output (never rejects on exit code). */
export function run(
  file: string,
  args: readonly string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<ToolRun> {
  const { cwd, env = process.env, timeoutMs = 300_000 } = options;
  return new Promise((resolve) => {
    execFile(
      file,
      [...args],
      { cwd, env, timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 127) : 0;
        resolve({ code, stdout, stderr: error && code === 127 ? `${stderr}${error.message}` : stderr });
      },
    );
  });
}

/** `npx -y -p node@22 -p <pkg>@<version> <bin> …args` */
export function npxNode22(
  pkg: string,
  version: string,
  bin: string,
  args: readonly string[],
  options?: Parameters<typeof run>[2],
) {
  return run(
    'npx',
    ['-y', '-p', `node@${TOOL_VERSIONS.node}`, '-p', `${pkg}@${version}`, bin, ...args],
    options,
  );
}

/** Why a tool cannot run here, or undefined when it can (its `--version` works). */
export async function unavailable(
  check: () => Promise<ToolRun>,
  what: string,
  fix: string,
): Promise<string | undefined> {
  const result = await check();
  if (result.code === 0) return undefined;
  return `${what} is not available (exit ${result.code}: ${result.stderr.trim().split('\n').slice(-2).join(' ')}); ${fix}`;
}
