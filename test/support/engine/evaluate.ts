import { setTimeout as sleep } from 'node:timers/promises';
import { type Chain, chainsIn, encodeId, lineage } from './chain.ts';
import { type ExecRecord, execRecord } from './execs.ts';
import { matchExec, type Scenario } from './scenario.ts';

/** Result of one scripted exec. */
export interface ExecOutcome {
  argv: string[];
  exitCode: number;
  stdout: string;
  stderr: string;
  /** Whether the exit code breaks the exec's `expect` (SUCCESS by default). */
  failed: boolean;
}

/**
 * An error shaped like the engine's exec failure: graphql-js copies `extensions` into the
 * response, and the client turns `_type: "EXEC_ERROR"` into its `ExecError`.
 */
export class ExecFailure extends Error {
  readonly extensions: Record<string, unknown>;
  constructor({ argv, exitCode, stdout, stderr }: ExecOutcome) {
    super(`process "${argv.join(' ')}" did not complete successfully: exit code: ${exitCode}`);
    this.extensions = { _type: 'EXEC_ERROR', cmd: argv, exitCode, stdout, stderr };
  }
}

/**
 * Runs the scripted execs a leaf depends on, like the engine's lazy evaluation: every
 * `withExec` in the chain (and in the objects passed to it as IDs), each at most once.
 */
export class Evaluator {
  readonly #runs = new Map<string, Promise<ExecOutcome>>();

  constructor(
    private readonly scenario: Scenario,
    private readonly onExec: (record: ExecRecord) => void,
  ) {}

  /** Evaluates `chain`; resolves to its last exec's outcome, rejects with {@link ExecFailure}. */
  async force(chain: Chain): Promise<ExecOutcome | undefined> {
    let last: ExecOutcome | undefined;
    for (const link of lineage(chain)) {
      for (const dependency of chainsIn(link.args)) await this.force(dependency);
      if (link.field !== 'withExec') continue;
      last = await this.#run(link);
      if (last.failed) throw new ExecFailure(last);
    }
    return last;
  }

  #run(exec: Chain): Promise<ExecOutcome> {
    const key = encodeId(exec);
    let run = this.#runs.get(key);
    if (!run) {
      run = this.#exec(exec);
      this.#runs.set(key, run);
    }
    return run;
  }

  async #exec(exec: Chain): Promise<ExecOutcome> {
    const argv = (exec.args.args as string[] | undefined) ?? [];
    const rule = matchExec(this.scenario.exec ?? [], argv);
    if (rule?.delayMs) await sleep(rule.delayMs);
    const exitCode = rule?.exitCode ?? 0;
    const expect = String(exec.args.expect ?? 'SUCCESS');
    const failed = expect === 'SUCCESS' ? exitCode !== 0 : expect === 'FAILURE' && exitCode === 0;
    this.onExec(execRecord(exec, exitCode));
    return { argv, exitCode, stdout: rule?.stdout ?? '', stderr: rule?.stderr ?? '', failed };
  }
}
