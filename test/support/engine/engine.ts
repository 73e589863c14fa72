import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Step } from './chain.ts';
import { Evaluator } from './evaluate.ts';
import type { ExecRecord } from './execs.ts';
import { answer, type GraphQLBody } from './graphql.ts';
import { leakPlaces, redactSecrets } from './leaks.ts';
import type { Scenario } from './scenario.ts';
import { engineSchema } from './schema.ts';

/** One HTTP request the engine received. Times are `performance.now()` milliseconds. */
export interface RecordedRequest {
  query: string;
  variables?: Record<string, unknown>;
  start: number;
  end?: number;
  /** Whether the document parsed and validated against the engine schema. */
  valid: boolean;
  status?: number;
  errors: string[];
}

/** One resolved leaf: its object's type and the expanded chain from `Query` down, leaf last. */
export interface RecordedCall {
  request: number;
  type: string;
  steps: Step[];
}

/** A Dagger session server for tests; see {@link startTestEngine}. */
export class TestEngine {
  readonly requests: RecordedRequest[] = [];
  readonly calls: RecordedCall[] = [];
  readonly #execs: ExecRecord[] = [];
  readonly #secrets = new Map<string, string>();
  readonly #token = randomBytes(16).toString('hex');
  readonly #evaluator: Evaluator;
  #inFlight = 0;
  #peak = 0;
  #faults = 0;

  constructor(
    readonly scenario: Scenario,
    private readonly server: Server,
  ) {
    this.#evaluator = new Evaluator(scenario, (record) => this.#execs.push(record));
  }

  /** What the client reads to reach this engine instead of provisioning one. */
  get env(): { DAGGER_SESSION_PORT: string; DAGGER_SESSION_TOKEN: string } {
    const { port } = this.server.address() as AddressInfo;
    return { DAGGER_SESSION_PORT: String(port), DAGGER_SESSION_TOKEN: this.#token };
  }

  /** Runs `fn` with {@link env} set in `process.env`, restoring the previous values after. */
  async run<T>(fn: () => Promise<T>): Promise<T> {
    const saved = Object.keys(this.env).map((key) => [key, process.env[key]] as const);
    Object.assign(process.env, this.env);
    try {
      return await fn();
    } finally {
      for (const [key, value] of saved) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    }
  }

  /** Every exec the engine ran (once per distinct chain), with its container state. */
  execs(): ExecRecord[] {
    return [...this.#execs];
  }

  /** Peak number of requests in flight at the same time. */
  maxConcurrency(): number {
    return this.#peak;
  }

  /** Raw GraphQL documents received, in arrival order. */
  documents(): string[] {
    return this.requests.map((request) => request.query);
  }

  /**
   * Where `value` appears outside a `setSecret(plaintext:)` argument: documents, variables,
   * calls and execs, as is (`request 3`) or encoded (`request 3 (base64)`: see `encodedForms`). Empty means
   * the secret never leaked into what the engine was asked.
   */
  leaks(value: string): string[] {
    const places = this.requests.flatMap((request, i) =>
      leakPlaces(`request ${i}`, redactSecrets(request.query, request.variables), value),
    );
    places.push(...leakPlaces('calls', JSON.stringify(this.calls), value));
    places.push(...leakPlaces('execs', JSON.stringify(this.#execs), value));
    return places;
  }

  /** Stops the server, dropping open keep-alive connections. */
  async close(): Promise<void> {
    if (!this.server.listening) return; // closing twice is a no-op
    this.server.closeAllConnections();
    await new Promise<void>((resolve, reject) =>
      this.server.close((error) => (error ? reject(error) : resolve())),
    );
  }

  /** @internal HTTP entry point. */
  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const expected = `Basic ${Buffer.from(`${this.#token}:`).toString('base64')}`;
    if (req.headers.authorization !== expected) return send(res, 401, { message: 'unauthorized' });
    if (req.method !== 'POST' || req.url !== '/query') return send(res, 404, { message: 'not found' });
    const text = await readBody(req);
    let body: GraphQLBody;
    try {
      body = JSON.parse(text) as GraphQLBody;
    } catch {
      return send(res, 400, { errors: [{ message: 'request body is not JSON' }] });
    }
    const index = this.requests.length;
    const record: RecordedRequest = {
      query: String(body.query ?? ''),
      start: performance.now(),
      valid: false,
      errors: [],
    };
    if (body.variables) record.variables = body.variables;
    this.requests.push(record);
    this.#peak = Math.max(this.#peak, ++this.#inFlight);
    try {
      await this.#serve(index, body, record, res);
    } finally {
      this.#inFlight--;
      record.end = performance.now();
    }
  }

  async #serve(
    index: number,
    body: GraphQLBody,
    record: RecordedRequest,
    res: ServerResponse,
  ): Promise<void> {
    const { fault, latencyMs } = this.scenario;
    if (
      fault &&
      index >= (fault.afterRequests ?? 0) &&
      this.#faults < (fault.times ?? Number.POSITIVE_INFINITY)
    ) {
      this.#faults++;
      record.errors.push(`fault: ${fault.kind}`);
      if (fault.kind === 'drop') return void res.socket?.destroy();
      if (fault.kind === 'http500') {
        record.status = 500;
        return void res.writeHead(500, { 'content-type': 'text/plain' }).end('internal server error');
      }
      await sleep(fault.delayMs ?? 1000);
    }
    if (latencyMs) await sleep(latencyMs);
    const result = await answer(body, engineSchema(), {
      schema: engineSchema(),
      scenario: this.scenario,
      evaluator: this.#evaluator,
      secrets: this.#secrets,
      onCall: (type, steps) => this.calls.push({ request: index, type, steps }),
    });
    record.valid = result.valid;
    record.status = result.status;
    record.errors.push(...(result.body.errors ?? []).map((error) => error.message));
    send(res, result.status, result.body);
  }
}

/**
 * Starts a Dagger session server on 127.0.0.1 that answers from `scenario`.
 *
 * @example
 * const engine = await startTestEngine({ exec: [{ argv: ['echo', 'hi'], stdout: 'hi\n' }] });
 * try {
 *   await engine.run(() => connection(async () => { await dag.container().from('alpine').withExec(['echo', 'hi']).stdout(); }));
 * } finally {
 *   await engine.close();
 * }
 */
export async function startTestEngine(scenario: Scenario = {}): Promise<TestEngine> {
  engineSchema(); // build before the first request so it is not counted as latency
  const server = createServer();
  const engine = new TestEngine(scenario, server);
  server.on('request', (req, res) => {
    engine.handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) send(res, 500, { errors: [{ message: String(error) }] });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return engine;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
