import { type Container, dag, type Secret } from '@dagger.io/dagger';
import { imageFileKind, pinImage } from '../../core/deploy/gitops-edit.ts';
import { InputError, StageError } from '../../core/errors.ts';
import { parseImageRef } from '../../core/image-ref.ts';
import { IMAGES } from '../../core/images.ts';
import { waitForArgoCd } from './argocd.ts';
import type { DeployDriver, DeployRequest } from './types.ts';

/** Where the GitOps repository is cloned. */
export const REPO_DIR = '/repo';

/**
 * A git credential helper that answers with `$GIT_USERNAME` and `$GIT_TOKEN` from the environment: the
 * token reaches git only as a secret variable, never in argv, a URL or a file.
 */
export const CREDENTIAL_HELPER =
  '!f() { test "$1" = get || exit 0; echo "username=$GIT_USERNAME"; echo "password=$GIT_TOKEN"; }; f';

/** The git container with the token as a secret variable and the credential helper configured through the environment. */
export function gitWithToken(token: Secret, username: string, deployId: string): Container {
  return dag
    .container()
    .from(IMAGES.git)
    .withSecretVariable('GIT_TOKEN', token)
    .withEnvVariable('GIT_USERNAME', username)
    .withEnvVariable('GIT_TERMINAL_PROMPT', '0')
    .withEnvVariable('GIT_CONFIG_COUNT', '1')
    .withEnvVariable('GIT_CONFIG_KEY_0', 'credential.helper')
    .withEnvVariable('GIT_CONFIG_VALUE_0', CREDENTIAL_HELPER)
    .withEnvVariable('GANTRY_DEPLOY_ID', deployId);
}

/** The commit message: environment, digests and the run id. */
export function commitMessage(request: Pick<DeployRequest, 'environment' | 'images' | 'runId'>): string {
  const names = request.images.map((i) => i.component.name).join(', ');
  const lines = request.images.map((i) => `- ${i.component.name}: ${i.ref}`);
  return `deploy(${request.environment}): ${names}\n\n${lines.join('\n')}\n\nGantry-Run-Id: ${request.runId}\n`;
}

/**
 * GitOps: clones the repository, pins each image's digest in the configured kustomization or Helm values
 * file (edited in TypeScript, comments kept), commits with the run id and pushes with the token secret.
 * Argo CD or Flux then syncs the cluster. Pushing the same digests again is a no-op.
 */
export function gitopsDriver(): DeployDriver {
  return {
    name: 'gitops',
    async deploy(request) {
      const settings = request.settings.gitops;
      if (!settings) {
        throw new InputError(
          'GITOPS_SETTINGS_MISSING',
          `driver gitops needs environments.${request.environment}.gitops`,
          {
            hint: 'set gitops.repository, gitops.file and gitops.token (a secret reference)',
          },
        );
      }
      if (new URL(settings.repository).username) {
        throw new InputError('GITOPS_URL_CREDENTIALS', 'gitops.repository must not contain credentials', {
          hint: 'remove the user:token@ part and reference the token as gitops.token (e.g. env://GITOPS_TOKEN)',
        });
      }
      const { branch, file } = settings;
      const target = `${settings.repository}#${branch}:${file}`;
      const cloned = gitWithToken(dag.secret(settings.token), settings.username, request.deployId)
        .withExec([
          'git',
          'clone',
          '--depth',
          '1',
          '--branch',
          branch,
          '--single-branch',
          settings.repository,
          REPO_DIR,
        ])
        .withWorkdir(REPO_DIR);
      const original = await cloned.file(`${REPO_DIR}/${file}`).contents();
      const several = request.images.length > 1;
      const edited = request.images.reduce(
        (text, image) =>
          pinImage(
            file,
            text,
            { name: image.component.name, ...pinOf(image.ref) },
            several && imageFileKind(file) === 'helm-values' ? [image.component.name, 'image'] : ['image'],
          ),
        original,
      );
      if (edited === original) {
        request.log(`${file} already pins these digests; nothing to push`);
        return { result: 'deployed', target, url: request.settings.url };
      }
      const pushed = cloned
        .withNewFile(`${REPO_DIR}/${file}`, edited)
        .withExec([
          'git',
          '-c',
          'user.name=Gantry',
          '-c',
          'user.email=gantry@users.noreply.localhost',
          'commit',
          '-m',
          commitMessage(request),
          '--',
          file,
        ])
        .withExec(['git', 'push', 'origin', `HEAD:${branch}`]);
      request.log(`committing ${file} and pushing to ${branch}`);
      let revision: string;
      try {
        revision = (await pushed.withExec(['git', 'rev-parse', 'HEAD']).stdout()).trim();
      } catch (cause) {
        throw new StageError('GITOPS_PUSH_FAILED', `could not push the digest change to ${target}`, {
          cause,
          hint: 'check that the token may push to the branch and that no one pushed meanwhile, then deploy again',
        });
      }
      if (settings.argocd)
        await waitForArgoCd(settings.argocd, revision, { log: request.log, runId: request.runId });
      return { result: 'deployed', target, url: request.settings.url };
    },
  };
}

/** Repository and digest of the verified reference, the only source of what is pinned. */
function pinOf(ref: string): { repository: string; digest: string } {
  const { repository, digest } = parseImageRef(ref);
  return { repository, digest };
}
