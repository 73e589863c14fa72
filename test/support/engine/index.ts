export type { Step } from './chain.ts';
export type { RecordedCall, RecordedRequest } from './engine.ts';
export { startTestEngine, TestEngine } from './engine.ts';
export type { ExecRecord, SecretUse } from './execs.ts';
export type { ExecRule, Fault, LeafQuery, Scenario } from './scenario.ts';
export { engineSchema, SCHEMA_PATH } from './schema.ts';
