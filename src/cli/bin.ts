#!/usr/bin/env node
import { StageError } from '../core/errors.ts';
/**
 * The `gantry` entry point: the only place that touches process.argv, process.env, stdio and the exit code.
 *
 * @example tsx pipeline/main.ts plan --format mermaid
 */
import { cli } from './cli.ts';

const controller = new AbortController();
let interrupted = 0;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
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
  });
}

process.exitCode = await cli(process.argv.slice(2), {
  env: process.env,
  cwd: process.cwd(),
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  isTTY: Boolean(process.stdin.isTTY),
  signal: controller.signal,
});
// After an interruption the manifest and summary are written, but a request to the engine that was in flight
// (a running exec) would keep the process alive until the exec finished: end now.
if (interrupted > 0) process.exit();
