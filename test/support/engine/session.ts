import { connection } from '@dagger.io/dagger';
import { afterEach } from 'vitest';
import { startTestEngine, type TestEngine } from './engine.ts';
import type { Scenario } from './scenario.ts';

/** Engines for one test file, each closed after its test. */
export interface EngineSessions {
  /** Starts an engine scripted by `scenario`. */
  start(scenario?: Scenario): Promise<TestEngine>;
  /** Starts an engine and runs `fn` under `connection()` against it. */
  run(scenario: Scenario, fn: () => Promise<void>): Promise<TestEngine>;
}

/** Call once at the top of a test file: engines started through it are closed after each test. */
export function engineSessions(): EngineSessions {
  const open: TestEngine[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((e) => e.close()));
  });
  const start = async (scenario: Scenario = {}) => {
    const engine = await startTestEngine(scenario);
    open.push(engine);
    return engine;
  };
  return {
    start,
    async run(scenario, fn) {
      const engine = await start(scenario);
      await engine.run(() => connection(fn));
      return engine;
    },
  };
}
