import { detectPlatform } from '../platform.ts';
import { githubAdapter } from './github.ts';
import { gitlabAdapter } from './gitlab.ts';
import { jenkinsAdapter } from './jenkins.ts';
import { localAdapter } from './local.ts';
import type { LogAdapter } from './types.ts';

export type { Annotation, LogAdapter, Section } from './types.ts';

/** The output adapter of the CI platform the environment says the run is on. */
export function logAdapter(env: Readonly<Record<string, string | undefined>>): LogAdapter {
  switch (detectPlatform(env).name) {
    case 'github':
      return githubAdapter;
    case 'gitlab':
      return gitlabAdapter;
    case 'jenkins':
      return jenkinsAdapter;
    default:
      return localAdapter;
  }
}
