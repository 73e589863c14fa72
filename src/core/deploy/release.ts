/**
 * Which images `gantry deploy <env> --release <run id | digest | ref>` redeploys. Only what can be named
 * exactly: a run whose manifest is at hand, a `repository@sha256:…` of a component's repository, or a
 * digest when there is one component. Whether it may be deployed is decided later, by its signed approval.
 */
import type { GantryConfig } from '../config/schema.ts';
import { ApprovalError } from '../errors.ts';
import { splitImageRef } from '../image-ref.ts';
import type { RunManifest } from '../manifest/schema.ts';

/** The repository a component publishes to in the configured registry. */
export function componentRepository(
  config: Pick<GantryConfig, 'registry'>,
  component: GantryConfig['components'][number],
) {
  return config.registry ? `${config.registry.address}/${component.image ?? component.name}` : undefined;
}

const refuse = (message: string, hint: string) => new ApprovalError('RELEASE_UNKNOWN', message, { hint });

/**
 * The images of the release `release` names, by component.
 * @throws ApprovalError (exit 4) when it names nothing this configuration deploys.
 */
export function releaseImages(
  config: Pick<GantryConfig, 'registry' | 'components'>,
  release: string,
  earlier: RunManifest | undefined,
): Record<string, string> {
  if (earlier && earlier.runId === release) {
    const images = Object.fromEntries(
      config.components.flatMap((c) => {
        const ref = earlier.components[c.name]?.image?.ref;
        return ref ? [[c.name, ref]] : [];
      }),
    );
    if (Object.keys(images).length === 0)
      throw refuse(`run ${release} published no image`, 'name a run that released images');
    return images;
  }
  const byDigest = /^sha256:[a-f0-9]{64}$/.test(release);
  const ref = byDigest ? undefined : splitImageRef(release);
  if (!byDigest && !ref) {
    throw refuse(
      `--release ${release} is neither the run id of the manifest at hand${earlier ? ` (${earlier.runId})` : ''}, a digest nor a repository@sha256:… reference`,
      'pass the run manifest of that run (--manifest) and its run id, or the digest the earlier run deployed',
    );
  }
  const matches = config.components.filter((c) => {
    const repository = componentRepository(config, c);
    return (
      // a bare digest (ref undefined) could be any component's: it must be the only one
      repository !== undefined && (ref === undefined || repository === ref.repository)
    );
  });
  const component = matches[0];
  if (!component || matches.length > 1) {
    throw refuse(
      `--release ${release} names no single component's image in ${config.registry?.address ?? 'the configured registry (none: the embedded registry does not outlive a run)'}`,
      'give repository@sha256:… of one component, published to the configured registry',
    );
  }
  return { [component.name]: ref?.ref ?? `${componentRepository(config, component)}@${release}` };
}
