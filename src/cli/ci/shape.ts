/**
 * What a CI wrapper needs to know about a pipeline: its phases in order, which phase waits for which, the
 * approval gate in front of a phase, the environments it deploys to, and the secrets its stages need.
 * Derived from the pipeline definition (`ciShape`), so generated wrappers follow the team's stages.
 */

/** One CI job: the stages of one phase, run with `gantry run --phase <name> --skip-always`. */
export interface CiPhase {
  /** Phase name, e.g. `verify`, `release`, `approve`, `promote`, or a team's own (`integration`). */
  name: string;
  /** The stages of the phase, in dependency order. */
  stages: string[];
  /** Phases whose jobs must have passed before this one starts (from the stages' needs). */
  needs: string[];
  /**
   * Set when the phase is an approval: its job must sit behind the platform's human gate
   * (GitHub environment with required reviewers, GitLab `when: manual` in a protected environment,
   * Jenkins `input` with `submitter`). The environment is the one being approved.
   */
  approval?: { environment: string } | undefined;
  /** Environments the phase deploys to, in order, with their URL when the config gives one. */
  deploys: { environment: string; url?: string | undefined }[];
  /** Secret URIs the phase's stages need (`env://NAME`, …), so the job can map them in. */
  secrets: string[];
  /** Whether the phase publishes, signs or deploys (runs on the default branch only, never on pull requests). */
  release: boolean;
}

/** The pipeline as CI sees it. */
export interface CiShape {
  /** Project name from gantry.yaml. */
  project: string;
  /** The phases in order. */
  phases: CiPhase[];
  /**
   * `always` stages: a final job that runs whatever happened to the others (`if: always()`,
   * `when: always`, `post { always }`), with `gantry run --always-only`. Absent when there are none.
   */
  finally?: { stages: string[]; secrets: string[] } | undefined;
}
