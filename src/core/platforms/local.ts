/** A terminal: stage lines printed live as they come, annotations as plain lines. */
import { plainAnnotation } from './gitlab.ts';
import type { LogAdapter } from './types.ts';

/** The local (terminal) adapter. */
export const localAdapter: LogAdapter = {
  name: 'local',
  folds: false,
  annotationLimit: Number.POSITIVE_INFINITY,
  section: ({ header }) => [header],
  annotation: plainAnnotation,
};
