import { cli } from '../../src/cli/cli.ts';

/** The result of running `gantry` in-process. */
export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the gantry CLI in-process with captured output. */
export async function runCli(
  args: string[],
  options: { cwd?: string; env?: Record<string, string | undefined>; isTTY?: boolean } = {},
): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await cli(args, {
    cwd: options.cwd ?? process.cwd(),
    env: options.env ?? {},
    isTTY: options.isTTY ?? false,
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
  });
  return { code, stdout, stderr };
}
