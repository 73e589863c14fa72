/**
 * Jenkins output: the console log has no folding a pipeline step can drive, so each stage is a readable block
 * (a ruled header with the outcome, its lines indented, a closing rule); annotations are plain lines.
 */
import { plainAnnotation } from './gitlab.ts';
import type { LogAdapter } from './types.ts';

/** The Jenkins adapter. */
export const jenkinsAdapter: LogAdapter = {
  name: 'jenkins',
  folds: true,
  annotationLimit: Number.POSITIVE_INFINITY,
  section: ({ stage, header, lines }) => [
    `┌─ ${stage} ${'─'.repeat(Math.max(3, 60 - stage.length))}`,
    ...lines.map((l) => `│ ${l}`),
    `└─ ${header}`,
  ],
  annotation: plainAnnotation,
};
