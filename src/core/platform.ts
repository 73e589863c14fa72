import type { RunManifest } from './manifest/schema.ts';

/** The CI platform a run is on, told by the variables each platform sets. */
export type PlatformName = RunManifest['platform']['name'];

/** Detects the CI platform and its run URL from the environment. */
export function detectPlatform(env: Readonly<Record<string, string | undefined>>): RunManifest['platform'] {
  if (env.GITHUB_ACTIONS === 'true') {
    const url =
      env.GITHUB_SERVER_URL && env.GITHUB_REPOSITORY && env.GITHUB_RUN_ID
        ? `${env.GITHUB_SERVER_URL}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}`
        : undefined;
    return url ? { name: 'github', runUrl: url } : { name: 'github' };
  }
  if (env.GITLAB_CI === 'true')
    return env.CI_PIPELINE_URL ? { name: 'gitlab', runUrl: env.CI_PIPELINE_URL } : { name: 'gitlab' };
  if (env.JENKINS_URL || env.JENKINS_HOME)
    return env.BUILD_URL ? { name: 'jenkins', runUrl: env.BUILD_URL } : { name: 'jenkins' };
  return { name: 'local' };
}
