/** Options of `gantry run` that stages read. */
export interface RunOptions {
  /** The manifest hash a non-interactive approval is given for (`--approve`). */
  approve?: string | undefined;
  /** Approve whatever passed staging in this local run (`--yes`); refused on CI. */
  yes?: boolean | undefined;
  /** Whether a person is at the terminal. */
  isTTY: boolean;
  /** Build and scan images without publishing (pull requests). @default false */
  noPublish?: boolean | undefined;
}
