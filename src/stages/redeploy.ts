/**
 * `gantry deploy <env> --release <…>`: the deploy stage of `<env>` run alone in release mode over the
 * images of an earlier release. The stage verifies their signature and their signed approval for `<env>`
 * again in the registry before anything is deployed.
 */
import { loadConfig } from '../core/config/load.ts';
import { releaseImages } from '../core/deploy/release.ts';
import { formatError, GantryError, InputError } from '../core/errors.ts';
import { parseImageRef } from '../core/image-ref.ts';
import { newManifest, readManifest } from '../core/manifest/store.ts';
import { detectPlatform } from '../core/platform.ts';
import { withEngine } from '../dagger/engine.ts';
import { baseContext } from '../runtime/context.ts';
import { manifestHandle } from '../runtime/manifest-handle.ts';
import { deployStage } from './deploy.ts';
import { signatureTag } from './sign.ts';

/** Inputs of {@link redeploy}. */
export interface RedeployRequest {
  cwd: string;
  configFile: string;
  /** A run manifest to look a run id up in (it may not exist). */
  manifestFile: string;
  /** Where the redeployment is recorded. */
  outFile: string;
  environment: string;
  /** Run id, digest or repository@sha256:… reference. */
  release: string;
  env: Readonly<Record<string, string | undefined>>;
  isTTY: boolean;
  print: (line: string) => void;
  signal?: AbortSignal | undefined;
}

/**
 * Redeploys the release to the environment. Resolves `true` when deployed; throws a GantryError when the
 * release is unknown (exit 4), not approved for the environment (exit 4), or the deploy failed.
 */
export async function redeploy(request: RedeployRequest): Promise<boolean> {
  const config = await loadConfig(request.configFile);
  const { environment } = request;
  if (!config.environments.some((e) => e.name === environment)) {
    throw new InputError('UNKNOWN_ENVIRONMENT', `gantry.yaml has no environment ${environment}`, {
      hint: `use one of: ${config.environments.map((e) => e.name).join(', ')}`,
    });
  }
  const earlier = await readManifest(request.manifestFile);
  const images = releaseImages(config, request.release, earlier);
  const manifest = newManifest(detectPlatform(request.env));
  for (const [name, ref] of Object.entries(images)) {
    const { repository, digest } = parseImageRef(ref);
    // The signature is verified again by the deploy stage; this record only names where it is.
    manifest.components[name] = {
      image: { repository, digest, ref },
      signature: { ref: signatureTag(ref), signer: 'verified at redeploy', attestations: [] },
    };
  }
  if (earlier && earlier.runId === request.release && earlier.signingPublicKey) {
    manifest.signingPublicKey = earlier.signingPublicKey;
    if (earlier.approvalPublicKey) manifest.approvalPublicKey = earlier.approvalPublicKey;
  }
  const handle = manifestHandle(request.outFile, manifest);
  await handle.update(() => {});
  request.print(
    `gantry deploy ${request.environment} --release ${request.release}: ${Object.values(images).join(', ')}`,
  );
  return withEngine(request.env, request.print, async () => {
    try {
      const stage = `deploy-${environment}`;
      const base = baseContext({
        config,
        repoRoot: request.cwd,
        outDir: request.outFile.replace(/[/\\][^/\\]*$/, ''),
        manifest: handle,
        env: request.env,
        options: { isTTY: request.isTTY },
        log: (name, line) => request.print(`  [${name}] ${line}`),
      });
      const result = await deployStage(environment, { release: true })({
        ...base,
        stage,
        signal: request.signal ?? new AbortController().signal,
        log: (line) => request.print(`  [${stage}] ${line}`),
        outcome: undefined,
      });
      request.print(`✔ redeployed: ${result?.message ?? ''}`);
      return true;
    } catch (error) {
      if (error instanceof GantryError) throw error;
      request.print(formatError(error));
      return false;
    }
  });
}
