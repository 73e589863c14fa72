import { InputError } from './errors.ts';

/** The nine stages of a delivery pipeline, in dependency (topological) order. */
export const STAGES = [
  'checkout',
  'deps',
  'test',
  'scan',
  'build',
  'sign',
  'deploy-staging',
  'approve',
  'deploy-production',
] as const;

/** The name of one stage. */
export type StageName = (typeof STAGES)[number];

/** The CI phases: groups of stages run as one CI job. */
export const PHASES = {
  verify: ['checkout', 'deps', 'test', 'scan'],
  release: ['build', 'sign', 'deploy-staging'],
  approve: ['approve'],
  promote: ['deploy-production'],
} as const satisfies Record<string, readonly StageName[]>;

/** The name of one phase. */
export type PhaseName = keyof typeof PHASES;

/** What each stage needs to have finished (in this run or an earlier one) before it starts. */
export const NEEDS: Readonly<Record<StageName, readonly StageName[]>> = {
  checkout: [],
  deps: ['checkout'],
  test: ['deps'],
  scan: ['deps'],
  build: ['test', 'scan'],
  sign: ['build'],
  'deploy-staging': ['sign'],
  approve: ['deploy-staging'],
  'deploy-production': ['approve'],
};

/** The phase a stage belongs to. */
export function phaseOf(stage: StageName): PhaseName {
  const entry = Object.entries(PHASES).find(([, stages]) => (stages as readonly string[]).includes(stage));
  return (entry?.[0] ?? 'verify') as PhaseName;
}

/** Which stages to run. Every given criterion narrows the selection; none selects all nine. */
export interface Selection {
  /** Only the stages of this phase. @default all phases */
  phase?: string | undefined;
  /** Exactly these stages. @default all */
  only?: readonly string[] | undefined;
  /** This stage and every stage after it. @default the first stage */
  from?: string | undefined;
  /** Every stage up to and including this one. @default the last stage */
  until?: string | undefined;
}

/** Returns the selected stages in dependency order. Unknown names and empty selections are {@link InputError}s. */
export function selectStages(selection: Selection = {}): StageName[] {
  const { phase, only, from, until } = selection;
  let chosen: StageName[] = [...STAGES];
  if (phase !== undefined) {
    if (!(phase in PHASES)) {
      throw new InputError('UNKNOWN_PHASE', `unknown phase "${phase}"`, {
        hint: `use one of: ${Object.keys(PHASES).join(', ')}`,
      });
    }
    const inPhase: readonly string[] = PHASES[phase as PhaseName];
    chosen = chosen.filter((s) => inPhase.includes(s));
  }
  if (only !== undefined) {
    const names = only.map((n) => stageName(n, '--only'));
    chosen = chosen.filter((s) => names.includes(s));
  }
  if (from !== undefined) {
    const start = STAGES.indexOf(stageName(from, '--from'));
    chosen = chosen.filter((s) => STAGES.indexOf(s) >= start);
  }
  if (until !== undefined) {
    const end = STAGES.indexOf(stageName(until, '--until'));
    chosen = chosen.filter((s) => STAGES.indexOf(s) <= end);
  }
  if (chosen.length === 0) {
    throw new InputError('EMPTY_SELECTION', 'the selection matches no stage', {
      hint: 'check that --phase, --only, --from and --until overlap (gantry plan shows the result)',
    });
  }
  return chosen;
}

function stageName(name: string, flag: string): StageName {
  if ((STAGES as readonly string[]).includes(name)) return name as StageName;
  throw new InputError('UNKNOWN_STAGE', `${flag}: unknown stage "${name}"`, {
    hint: `use one of: ${STAGES.join(', ')}`,
  });
}
