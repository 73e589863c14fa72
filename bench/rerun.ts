/**
 * Second run of an unchanged repository: which execs the engine runs again.
 *
 * Two full `gantry run`s (two run manifests, so two run ids) against ONE wire-test engine, which like
 * Dagger's cache runs an exec once per distinct chain (test/support/engine/engine.ts `execs()`). The execs
 * recorded after the first run are exactly what a real engine would re-execute on the second: everything
 * whose container definition changed. Issue 12 item 3 says which must change per run (src/dagger/fresh.ts:
 * scans, `cosign verify`, the Argo CD status; deploys carry a deploy id) and that everything else must stay
 * cached (deps, test, build, sign).
 */
import type { ExecRecord } from '../test/support/engine/index.ts';
import { startTestEngine } from '../test/support/engine/index.ts';
import { fullPipelineScenario } from '../test/support/scenarios.ts';
import { benchRun, tempOut } from './pipeline.ts';

/** What an exec is, by the tool it runs. */
export type ExecKind =
  | 'trivy'
  | 'semgrep'
  | 'cosign verify'
  | 'cosign sign/attest'
  | 'deploy (kubectl/helm/git)'
  | 'k3s'
  | 'deps'
  | 'test'
  | 'build'
  | 'other';

/** The kinds that must run again on every run (issue 12 item 3; src/dagger/fresh.ts). */
export const MUST_BE_FRESH: readonly ExecKind[] = [
  'trivy',
  'semgrep',
  'cosign verify',
  'deploy (kubectl/helm/git)',
  'k3s',
];

/**
 * Kinds that re-run on every run by design, not for freshness: signing mode `generated` (the local default,
 * src/dagger/keys.ts) makes a new key pair per run, so `cosign generate-key-pair`, `sign` and `attest` see new
 * secrets. With `signing.mode: key` or `keyless` they would stay cached.
 */
export const PER_RUN_BY_DESIGN: readonly ExecKind[] = ['cosign sign/attest'];

/** Classifies one exec by its command line (and image, for a bare shell). */
export function execKind(exec: ExecRecord): ExecKind {
  const line = exec.argv.join(' ');
  const tool = exec.argv[0]?.split('/').at(-1) ?? '';
  if (tool === 'trivy' || /\btrivy\b/.test(exec.image ?? '')) return 'trivy';
  if (tool === 'semgrep' || /\bsemgrep\b/.test(exec.image ?? '')) return 'semgrep';
  if (tool === 'cosign' || /\bcosign\b/.test(exec.image ?? ''))
    return /\bverify(-attestation)?\b/.test(line) ? 'cosign verify' : 'cosign sign/attest';
  if (/\bk3s\b/.test(line) || /\bk3s\b/.test(exec.image ?? '')) return 'k3s';
  if (['kubectl', 'helm', 'git', 'argocd'].includes(tool) || 'GANTRY_DEPLOY_ID' in exec.env)
    return 'deploy (kubectl/helm/git)';
  if (/\b(npm|pnpm|yarn) (ci|install)\b|\bpip install\b|\buv sync\b|\bgo mod download\b/.test(line))
    return 'deps';
  if (/\b(npm|pnpm|yarn) (run )?test\b|\bpytest\b|\bgo test\b/.test(line)) return 'test';
  if (/\b(docker|buildctl|buildkit)\b/.test(line)) return 'build';
  return 'other';
}

/** The figure: execs of each run, and by kind which ran again. */
export interface Rerun {
  firstRun: number;
  secondRun: number;
  /** Execs of the first run by kind. */
  firstByKind: Partial<Record<ExecKind, number>>;
  /** Execs the engine ran again in the second run, by kind. */
  rerunByKind: Partial<Record<ExecKind, number>>;
  /** Command lines that ran again, for the report. */
  rerunCommands: string[];
}

const byKind = (execs: ExecRecord[]) =>
  execs.reduce<Partial<Record<ExecKind, number>>>((acc, e) => {
    const k = execKind(e);
    acc[k] = (acc[k] ?? 0) + 1;
    return acc;
  }, {});

/** Runs the full pipeline twice against one engine and counts what the second run executed. */
export async function measureRerun(config?: string): Promise<Rerun> {
  const engine = await startTestEngine(fullPipelineScenario());
  const first = await tempOut();
  const second = await tempOut();
  try {
    const a = await benchRun(engine, [], first.manifest, config);
    const afterFirst = engine.execs();
    const b = await benchRun(engine, [], second.manifest, config);
    if (a.manifest.runId === b.manifest.runId) throw new Error('bench: both runs had the same run id');
    const rerun = engine.execs().slice(afterFirst.length);
    return {
      firstRun: afterFirst.length,
      secondRun: rerun.length,
      firstByKind: byKind(afterFirst),
      rerunByKind: byKind(rerun),
      rerunCommands: rerun.map((e) => `${execKind(e)}: ${e.argv.join(' ').slice(0, 100)}`),
    };
  } finally {
    await engine.close();
    await first.cleanup();
    await second.cleanup();
  }
}
