/**
 * GitLab CI output: a collapsed section per stage, delimited as the GitLab docs specify
 * (https://docs.gitlab.com/ci/jobs/job_logs/, "Custom collapsible sections"):
 * `\e[0Ksection_start:UNIX_TIMESTAMP:SECTION_NAME[collapsed=true]\r\e[0K` + header, then
 * `\e[0Ksection_end:UNIX_TIMESTAMP:SECTION_NAME\r\e[0K`. Annotations become plain lines (GitLab reads findings
 * from the SAST and container-scanning reports instead).
 */
import type { Annotation, LogAdapter } from './types.ts';

const ESC = '\u001b[0K';
const seconds = (d: Date) => Math.floor(d.getTime() / 1000);
/** Section names: letters, digits, `_`, `.` and `-`. */
const sectionName = (stage: string) => `gantry_${stage.replace(/[^A-Za-z0-9_.-]/g, '_')}`;

/** The GitLab CI adapter. */
export const gitlabAdapter: LogAdapter = {
  name: 'gitlab',
  folds: true,
  annotationLimit: Number.POSITIVE_INFINITY,
  section: ({ stage, header, lines, startedAt, endedAt }) => {
    const [first = '', ...rest] = header.split('\n');
    return [
      `${ESC}section_start:${seconds(startedAt)}:${sectionName(stage)}[collapsed=true]\r${ESC}${first}`,
      ...lines,
      ...rest,
      `${ESC}section_end:${seconds(endedAt)}:${sectionName(stage)}\r${ESC}`,
    ];
  },
  annotation: (a: Annotation) => plainAnnotation(a),
};

/** `error: file:line: title: message`, for platforms without annotations. */
export function plainAnnotation(a: Annotation): string {
  const where = a.file ? `${a.file}${a.line ? `:${a.line}` : ''}: ` : '';
  return `${a.level}: ${where}${a.title}: ${a.message.split('\n')[0]}`;
}
