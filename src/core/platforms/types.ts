/**
 * How a run's output looks on one CI platform: a folded section per stage, annotations on files and lines,
 * and the formatters of events (keyed by `kind`) that the platform overrides. One adapter per platform.
 */

/** A failure or finding to show on a file and line (GitHub annotations; elsewhere a plain line). */
export interface Annotation {
  level: 'error' | 'warning' | 'notice';
  /** Short title, e.g. `scan blocked` or a rule id. */
  title: string;
  message: string;
  /** Repository-relative file. */
  file?: string | undefined;
  line?: number | undefined;
}

/** What a folded section shows: the stage, its closing line (the rendered final event), its buffered lines. */
export interface Section {
  stage: string;
  /** The rendered final event, e.g. `✔ test passed in 3.2s`: the section header. */
  header: string;
  lines: readonly string[];
  startedAt: Date;
  endedAt: Date;
}

/** One CI platform's output. */
export interface LogAdapter {
  readonly name: 'github' | 'gitlab' | 'jenkins' | 'local';
  /** Whether stage lines are buffered and printed as one section when the stage ends (else printed live). */
  readonly folds: boolean;
  /** The text of one finished stage's section. */
  section(section: Section): string[];
  /** Lines that turn annotations into the platform's form; `limit` says how many of each level it shows. */
  annotation(annotation: Annotation): string;
  /** How many annotations of one level the platform shows per step (GitHub: 10); the rest are counted. */
  readonly annotationLimit: number;
}

/** Splits annotations into those shown in full (the first `limit` per level) and the count of the rest. */
export function limitAnnotations(
  annotations: readonly Annotation[],
  limit: number,
): { shown: Annotation[]; hidden: Record<Annotation['level'], number> } {
  const seen = { error: 0, warning: 0, notice: 0 };
  const hidden = { error: 0, warning: 0, notice: 0 };
  const shown: Annotation[] = [];
  for (const a of annotations) {
    seen[a.level] += 1;
    if (seen[a.level] <= limit) shown.push(a);
    else hidden[a.level] += 1;
  }
  return { shown, hidden };
}
