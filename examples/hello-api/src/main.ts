import { createServer } from './server.ts';

// Entry point: the only place that reads the environment, handles signals and exits.
const DEFAULT_PORT = 8080;
const DRAIN_TIMEOUT_MS = 10_000;

function log(fields: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), ...fields })}\n`);
}

function parsePort(raw: string | undefined): number | undefined {
  if (raw === undefined || raw === '') return DEFAULT_PORT;
  const port = Number(raw);
  return Number.isInteger(port) && port >= 0 && port <= 65_535 ? port : undefined;
}

const port = parsePort(process.env.PORT);
if (port === undefined) {
  process.stderr.write(
    `hello-api: PORT="${process.env.PORT}" is not a port; set it to 0-65535 or unset it\n`,
  );
  process.exitCode = 2;
} else {
  let ready = true;
  const server = createServer({ isReady: () => ready });
  server.on('error', (error) => {
    log({ msg: 'server error', error: error.message });
    process.exitCode = 1;
  });
  server.listen(port, () => {
    const address = server.address();
    log({ msg: 'listening', port: typeof address === 'object' && address ? address.port : port });
  });

  const shutdown = (signal: NodeJS.Signals): void => {
    log({ msg: 'shutting down', signal });
    ready = false;
    // Finish in-flight requests, then exit; a stuck connection must not outlive the pod's grace period.
    server.close((error) => {
      log({ msg: 'closed', error: error?.message });
      process.exit(error ? 1 : 0);
    });
    server.closeIdleConnections();
    setTimeout(() => {
      log({ msg: 'drain timed out', timeoutMs: DRAIN_TIMEOUT_MS });
      process.exit(1);
    }, DRAIN_TIMEOUT_MS).unref();
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}
