import type { Component, GantryConfig } from '../config/schema.ts';
import { InputError, PolicyError } from '../errors.ts';
import { parseImageRef } from '../image-ref.ts';
import type { RunManifest } from '../manifest/schema.ts';

/** One image to deploy, addressed by digest only (drivers derive repository and digest from `ref`). */
export interface DeployImage {
  component: Component;
  /** `repository@sha256:…`. */
  ref: string;
}

/** The images of every configured component, by digest, from the run manifest. */
export function deployImages(config: Pick<GantryConfig, 'components'>, manifest: RunManifest): DeployImage[] {
  const images: DeployImage[] = [];
  const missing: string[] = [];
  for (const component of config.components) {
    const image = manifest.components[component.name]?.image;
    // Only `ref` travels on: drivers derive repository and digest from it (parseImageRef).
    if (image) images.push({ component, ref: parseImageRef(image.ref).ref });
    else missing.push(component.name);
  }
  if (missing.length > 0) {
    throw new InputError(
      'NO_IMAGE_DIGEST',
      `the run manifest has no image digest for ${missing.join(', ')}`,
      {
        hint: 'run the build stage first (gantry run --phase release), or pass the manifest of the release job',
      },
    );
  }
  return images;
}

/**
 * Deploy-time policy: every image comes from an allowed registry (`allowed` are `host[:port][/path]`
 * prefixes) and carries a signature in the manifest. Violations are a {@link PolicyError} (exit 3).
 */
export function checkDeployPolicy(
  images: DeployImage[],
  manifest: RunManifest,
  allowed: readonly string[],
): void {
  const foreign = images.filter((i) => !allowed.some((prefix) => i.ref.startsWith(`${prefix}/`)));
  if (foreign.length > 0) {
    throw new PolicyError(
      'REGISTRY_NOT_ALLOWED',
      `${foreign.map((i) => i.ref).join(', ')} ${foreign.length > 1 ? 'are' : 'is'} not from an allowed registry (${allowed.join(', ')})`,
      { hint: 'deploy only images built and published by this pipeline to the configured registry' },
    );
  }
  const unsigned = images.filter((i) => !manifest.components[i.component.name]?.signature);
  if (unsigned.length > 0) {
    throw new PolicyError(
      'IMAGE_UNSIGNED',
      `${unsigned.map((i) => i.ref).join(', ')} ${unsigned.length > 1 ? 'have' : 'has'} no signature in the run manifest; only signed images are deployed`,
      { hint: 'run the sign stage (gantry run --phase release) before deploying' },
    );
  }
}
