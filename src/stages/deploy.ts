import { join } from 'node:path';
import { dag, ExecError } from '@dagger.io/dagger';
import { digestsOf, verifiedHash } from '../core/approval/binding.ts';
import { type Environment, type GantryConfig, requiresApproval } from '../core/config/schema.ts';
import { checkDeployPolicy, deployImages } from '../core/deploy/policy.ts';
import { ApprovalError, GantryError, StageError } from '../core/errors.ts';
import type { RunManifest } from '../core/manifest/schema.ts';
import { deployDriver } from '../dagger/drivers/index.ts';
import type { Cluster, DeployDriver, DeployImage, DeployOutcome } from '../dagger/drivers/types.ts';
import { embeddedCluster, type K3sOptions } from '../dagger/services/k3s.ts';
import { EMBEDDED_ADDRESS, type RegistryTarget, registryTarget } from '../dagger/services/registry.ts';
import { checkout } from '../dagger/source.ts';
import type { StageContext, StageFn } from '../runtime/types.ts';
import { requireSignedApproval } from './approval-gate.ts';
import { onCI } from './approve.ts';
import { type VerifyOptions, verify } from './sign.ts';
import { requireReleaseSource } from './source-guard.ts';

/** Options of {@link deployStage}; every field exists so tests and library users can swap a part. */
export interface DeployStageOptions {
  /** Verifies one image's signature. @default `verify` of steps/sign.ts */
  verify?: (ref: string, signing: GantryConfig['signing'], options: VerifyOptions) => Promise<unknown>;
  /** The driver an environment names. @default {@link deployDriver} */
  driver?: (name: Environment['driver']) => DeployDriver;
  /** The cluster of an environment without a kubeconfig. @default {@link embeddedCluster} */
  embedded?: (runId: string, options: K3sOptions) => Promise<Cluster>;
  /** The clock. @default () => new Date() */
  now?: () => Date;
  /**
   * A redeploy of an earlier release (`gantry deploy <env> --release`): the digests need a signed approval
   * for this environment from any earlier run (whatever the environment's approval setting), and the work
   * tree is not compared with the manifest's commit. @default false
   */
  release?: boolean;
}

/** Registries images may be deployed from: the configured one, or the embedded one. */
export function allowedRegistries(config: Pick<GantryConfig, 'registry'>): string[] {
  return config.registry ? [config.registry.address] : [EMBEDDED_ADDRESS];
}

/**
 * A deploy stage: reads the digests from the run manifest (never rebuilds or re-tags), requires an approval
 * of exactly this manifest where the environment needs one (production by default), enforces the deploy
 * policy (allowed registry, signed), verifies every signature, deploys with the environment's driver and
 * records the deployment. A rollback is recorded and fails the stage.
 */
export function deployStage(environment: string, options: DeployStageOptions = {}): StageFn {
  const {
    verify: verifyImage = verify,
    driver = deployDriver,
    embedded = embeddedCluster,
    now = () => new Date(),
    release = false,
  } = options;
  return async (ctx) => {
    const settings = ctx.config.environments.find((e) => e.name === environment);
    if (!settings) return { message: `no ${environment} environment in gantry.yaml; nothing deployed` };
    const manifest = ctx.manifest.get();
    const hash = verifiedHash(manifest);
    const images = deployImages(ctx.config, manifest);
    if (!release) await requireReleaseSource(ctx, `deploy-${environment}`, 'approval');
    const warning = await checkApproval(
      ctx,
      environment,
      release ? { ...settings, approval: true } : settings,
      images,
      release,
    );
    checkDeployPolicy(images, manifest, allowedRegistries(ctx.config));
    const registry = registryTarget(ctx.config, manifest.runId);
    await verifyAll(ctx, images, manifest, registry, verifyImage, requiresApproval(settings));
    ctx.log(`${images.length} signature(s) verified; deploying with ${settings.driver}`);

    const cluster =
      settings.driver !== 'kubernetes' && settings.driver !== 'helm'
        ? undefined
        : settings.kubeconfig
          ? { kubeconfig: dag.secret(settings.kubeconfig) }
          : await embedded(manifest.runId, {
              registry: registry.kind === 'embedded' ? registry.service : undefined,
            });
    const at = now();
    const record = (outcome: DeployOutcome) =>
      ctx.manifest.update((m) => {
        m.deployments.push({
          environment,
          digests: Object.fromEntries(
            Object.entries(digestsOf(m)).filter(([name]) => images.some((i) => i.component.name === name)),
          ),
          result: outcome.result,
          at: at.toISOString(),
          ...(outcome.url ? { url: outcome.url } : {}),
          driver: settings.driver,
          target: outcome.target,
          contentHash: hash,
          ...(outcome.message ? { message: outcome.message } : {}),
        });
      });
    let outcome: DeployOutcome;
    try {
      outcome = await driver(settings.driver).deploy({
        environment,
        settings,
        namespace: settings.namespace ?? environment,
        images,
        source: (component) => checkout(join(ctx.repoRoot, component.path)),
        repo: (path) => checkout(join(ctx.repoRoot, path)),
        cluster,
        runId: manifest.runId,
        deployId: `${manifest.runId}-${environment}-${at.getTime()}`,
        log: ctx.log,
      });
    } catch (error) {
      await record({
        result: 'failed',
        target: settings.namespace ?? environment,
        message: messageOf(error),
      });
      throw toStageError(error, environment);
    }
    await record(outcome);
    if (outcome.result === 'failed') {
      // A first deploy has nothing to roll back to: the cause is the deploy's own failure.
      throw new StageError(
        'DEPLOY_FAILED',
        `${environment} deployment failed: ${outcome.message ?? 'failed'}`,
        {
          hint: 'no earlier version to go back to; fix the cause (rollout or smoke check above), then release again',
        },
      );
    }
    if (outcome.result !== 'deployed') {
      throw new StageError(
        'DEPLOY_ROLLED_BACK',
        `${environment} deployment rolled back: ${outcome.message ?? 'failed'}`,
        {
          hint: 'the previous version is running again; fix the cause (rollout or smoke check above), then release again',
        },
      );
    }
    return {
      message: `${images.map((i) => i.ref).join(', ')} → ${outcome.target}${outcome.url ? ` (${outcome.url})` : ''}${warning}`,
    };
  };
}

async function checkApproval(
  ctx: StageContext,
  environment: string,
  settings: Environment,
  images: DeployImage[],
  release: boolean,
): Promise<string> {
  if (requiresApproval(settings)) {
    // The signed approval in the registry is the proof; the manifest's approval records are notes.
    const [approval] = await requireSignedApproval(ctx, environment, images, { ci: onCI(ctx.env), release });
    if (approval) {
      ctx.log(
        `signed approval verified: by ${approval.approver} on ${approval.platform} (run ${approval.runId}) at ${approval.approvedAt}`,
      );
    }
    return '';
  }
  if (environment !== 'production') return '';
  ctx.log('WARNING: approval is disabled for production (approval: false)');
  return ' — WARNING: deployed without approval (approval: false)';
}

async function verifyAll(
  ctx: StageContext,
  images: DeployImage[],
  manifest: RunManifest,
  registry: RegistryTarget,
  verifyImage: NonNullable<DeployStageOptions['verify']>,
  production: boolean,
): Promise<void> {
  const { signing } = ctx.config;
  // Only the generated (per-run) key is taken from the manifest; a configured key is read from the repository.
  const publicKey = signing.mode === 'generated' ? manifest.signingPublicKey : undefined;
  try {
    await Promise.all(
      images.map((image) =>
        verifyImage(image.ref, signing, {
          publicKey,
          repoRoot: ctx.repoRoot,
          registry,
          runId: manifest.runId,
        }),
      ),
    );
  } catch (error) {
    if (!production || !(error instanceof GantryError)) throw error;
    throw new ApprovalError('SIGNATURE_NOT_VERIFIED', `production refuses: ${error.message}`, {
      cause: error,
      hint: error.hint ?? 'deploy only the signed digests the approval covers',
    });
  }
}

function messageOf(error: unknown): string {
  if (error instanceof ExecError)
    return `${error.cmd.join(' ')} exited ${error.exitCode}: ${error.stderr.trim()}`;
  return error instanceof Error ? error.message : String(error);
}

function toStageError(error: unknown, environment: string): GantryError {
  if (error instanceof GantryError) return error;
  return new StageError('DEPLOY_FAILED', `deploying to ${environment} failed: ${messageOf(error)}`, {
    cause: error,
    hint: 'check the cluster access (kubeconfig) and the manifests, then deploy again',
  });
}

/** The deploy-staging stage. */
export const deployStagingStage: StageFn = deployStage('staging');
/** The deploy-production stage: like staging, and only with an approval of exactly this manifest. */
export const deployProductionStage: StageFn = deployStage('production');
