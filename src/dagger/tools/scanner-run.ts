import { type Container, ExecError } from '@dagger.io/dagger';

/** What a scanner exec left behind: its exit code, its report file's text ('' when absent) and stderr. */
export interface ScannerRun {
  exitCode: number;
  /** The report file's contents; '' when the scanner wrote none (it crashed before). */
  report: string;
  stderr: string;
}

/**
 * Awaits a scanner exec run with `expect: ANY` and reads back the report file it wrote. A missing report
 * is not an error here: {@link classifyScannerExit} turns it into a crash with the reason.
 */
export async function readScannerRun(ran: Container, reportPath: string): Promise<ScannerRun> {
  let exitCode: number;
  let stderr: string;
  try {
    [exitCode, stderr] = await Promise.all([ran.exitCode(), ran.stderr()]);
  } catch (error) {
    if (!(error instanceof ExecError)) throw error;
    return { exitCode: error.exitCode, report: '', stderr: error.stderr };
  }
  const report = await ran
    .file(reportPath)
    .contents()
    .catch(() => '');
  return { exitCode, report, stderr };
}

/** The last lines of a tool's stderr, for error messages. */
export function tail(text: string, lines = 20): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}
