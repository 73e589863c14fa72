import { StageError } from '../core/errors.ts';
import type { PipelineDefinition } from '../runtime/define.ts';
import { cli } from './cli.ts';

/**
 * The CLI over a pipeline definition: `run` (also with no command), `plan`, `validate`, `gate`, `schema`,
 * `ci …`. Reads `argv`, the environment and stdio, sets `process.exitCode` and returns it; it never exits the
 * process itself, except that a second SIGINT/SIGTERM ends it at once (the first one stops the run and
 * records it in the manifest).
 *
 * @example
 * // pipeline/main.ts
 * import { main, standardStages } from 'gantry';
 * await main({ stages: [...standardStages()] });
 */
export async function main(
  definition: PipelineDefinition,
  argv: readonly string[] = process.argv.slice(2),
): Promise<number> {
  const controller = new AbortController();
  let interrupted = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    interrupted += 1;
    if (interrupted > 1) process.exit(130);
    process.stderr.write(
      `\ngantry: ${signal} received, stopping; the run manifest keeps every finished stage\n`,
    );
    controller.abort(
      new StageError('INTERRUPTED', `interrupted by ${signal}`, {
        hint: 'run again with --from <the stage that did not finish>',
      }),
    );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const code = await cli(argv, {
      env: process.env,
      cwd: process.cwd(),
      stdout: (text) => process.stdout.write(text),
      stderr: (text) => process.stderr.write(text),
      isTTY: Boolean(process.stdin.isTTY),
      signal: controller.signal,
      definition,
    });
    process.exitCode = code;
    // After an interruption the manifest and summary are written, but a request to the engine that was in
    // flight (a running exec) would keep the process alive until it finished: the user asked to stop.
    if (interrupted > 0) setImmediate(() => process.exit());
    return code;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
