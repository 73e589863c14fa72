/**
 * Wire-test engine: a Dagger session server for tests, talked to by the real `@dagger.io/dagger`
 * client, validating every document against the real engine schema.
 *
 * How the 0.21.9 client connects (read from its source): `connection(fn)` reads
 * `DAGGER_SESSION_PORT` / `DAGGER_SESSION_TOKEN` when it starts (no CLI provisioning then), sends
 * every query as `POST /query` with basic auth `token:` and makes no other call, not even on close.
 * It sets the GraphQL client of the global `dag` for the duration of `fn` and clears it after, so
 * nothing is cached between tests: wrap each `connection()` in `engine.run()`, and only touch `dag`
 * inside it (outside, the client throws "GraphQL client is not set"). `connect(cb)` also works; it
 * first sends `{ version }`. Telemetry starts only when `OTEL_*` variables are set.
 *
 * Objects passed as arguments travel as ID literals (`withDirectory(source: "<id>")`); `sync()`
 * results come back through `node(id:) { ... on Container }`; `loadXxxFromID` only when called.
 */
export type { Step } from './chain.ts';
export type { RecordedCall, RecordedRequest } from './engine.ts';
export { startTestEngine, TestEngine } from './engine.ts';
export type { ExecRecord, SecretUse } from './execs.ts';
export type { ExecRule, Fault, LeafQuery, Scenario } from './scenario.ts';
export { engineSchema, SCHEMA_PATH } from './schema.ts';
