/**
 * `gantry gate`: evaluates saved scanner reports against a security policy, offline (no engine).
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ExitCode, InputError } from '../../core/errors.ts';
import { DEFAULT_POLICY, resolvePolicyFile } from '../../core/package-files.ts';
import { evaluateGate } from '../../core/security/gate.ts';
import { loadPolicy } from '../../core/security/policy.ts';
import { renderVerdict } from '../../core/security/render.ts';
import { readScanReport } from '../../core/security/report-file.ts';
import { findRepositorySuppressions } from '../../core/security/suppressions.ts';
import type { Command, CommandContext } from './command.ts';

const usage = `gantry gate --trivy FILE [--trivy FILE…] [--semgrep FILE…] [--policy FILE]

Evaluates saved scanner reports against a security policy and exits 3 when blocked.

Options:
  --trivy FILE     Trivy JSON report (trivy … --format json, unfiltered); repeatable
  --semgrep FILE   Semgrep JSON output (semgrep scan --json); repeatable
  --policy FILE    policy file (default: policies/default.yaml), or builtin:default / builtin:strict
  --source DIR     the scanned source: its suppressions (nosemgrep, .semgrepignore, .trivyignore,
                   trivy:ignore:) are counted, and refused when the policy says allowRepositorySuppressions: false
  -h, --help       show this help

Exit codes: 0 passed · 2 invalid arguments or policy · 3 blocked, or a report missing or unreadable`;

/** Options of {@link createGateCommand}. */
export interface GateCommandOptions {
  /** Clock used for waiver expiry. @default () => new Date() */
  readonly now?: () => Date;
}

/** Builds the `gate` command; tests inject a fixed clock. */
export function createGateCommand(options: GateCommandOptions = {}): Command {
  const { now = () => new Date() } = options;
  return {
    name: 'gate',
    summary: 'evaluate saved Trivy/Semgrep reports against a security policy',
    usage,
    async run(ctx: CommandContext): Promise<ExitCode> {
      const args = parse(ctx.args);
      if (args.help) {
        ctx.stdout(`${usage}\n`);
        return ExitCode.ok;
      }
      const trivy = args.trivy ?? [];
      const semgrep = args.semgrep ?? [];
      if (trivy.length + semgrep.length === 0) {
        throw new InputError('GATE_NO_REPORTS', 'gantry gate needs at least one report to evaluate', {
          hint: 'Pass --trivy FILE and/or --semgrep FILE (see gantry gate --help).',
        });
      }
      const policy = await loadPolicy(resolvePolicyFile(ctx.cwd, args.policy ?? DEFAULT_POLICY));
      const reports = await Promise.all([
        ...trivy.map((f) => readScanReport(resolve(ctx.cwd, f), 'trivy')),
        ...semgrep.map((f) => readScanReport(resolve(ctx.cwd, f), 'semgrep')),
      ]);
      const repositorySuppressions =
        args.source === undefined ? [] : await findRepositorySuppressions(resolve(ctx.cwd, args.source));
      const verdict = evaluateGate(reports, policy, { now: now(), repositorySuppressions });
      ctx.stdout(`${renderVerdict(verdict)}\n`);
      return verdict.blocked ? ExitCode.blocked : ExitCode.ok;
    },
  };
}

function parse(args: readonly string[]) {
  try {
    return parseArgs({
      args: [...args],
      strict: true,
      allowPositionals: false,
      options: {
        trivy: { type: 'string', multiple: true },
        semgrep: { type: 'string', multiple: true },
        policy: { type: 'string' },
        source: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }).values;
  } catch (cause) {
    const why = cause instanceof Error ? cause.message : String(cause);
    throw new InputError('GATE_ARGS', `gantry gate: ${why}`, { hint: usage.split('\n')[0], cause });
  }
}

/** The `gantry gate` command. */
export const gateCommand: Command = createGateCommand();
