import { cli } from '../../src/cli/cli.ts';
import type { PipelineDefinition } from '../../src/runtime/define.ts';
import { standardStages } from '../../src/stages/standard.ts';

/** The result of running `gantry` in-process. */
export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the gantry CLI in-process with captured output. */
export async function runCli(
  args: string[],
  options: {
    cwd?: string;
    env?: Record<string, string | undefined>;
    isTTY?: boolean;
    /** The pipeline. @default the standard stages */
    definition?: PipelineDefinition;
  } = {},
): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await cli(args, {
    cwd: options.cwd ?? process.cwd(),
    env: options.env ?? {},
    isTTY: options.isTTY ?? false,
    definition: options.definition ?? { stages: standardStages() },
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
  });
  return { code, stdout, stderr };
}
