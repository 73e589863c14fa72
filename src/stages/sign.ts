/**
 * The sign stage: each published image signed with cosign BY DIGEST, then attested — CycloneDX SBOM,
 * vulnerability scan, SLSA provenance — and the signature recorded in the run manifest. Also exports
 * {@link verify}, which the deploy stages call before deploying a digest.
 */
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { dag, type File } from '@dagger.io/dagger';
import { writeFileAtomic } from '../core/atomic-write.ts';
import type { Component } from '../core/config/schema.ts';
import { InputError, StageError } from '../core/errors.ts';
import { IMAGES } from '../core/images.ts';
import {
  GITHUB_ATTEST_SUBJECTS,
  githubAttestSubjects,
  SLSA_PROVENANCE_V1,
  vulnPredicate,
} from '../core/provenance.ts';
import { writeReportFile } from '../core/reports/write.ts';
import { registryAccess, registryTarget, toolRef } from '../dagger/services/registry.ts';
import { resolveSigner } from '../dagger/signing.ts';
import {
  type AttestationType,
  COSIGN_UID,
  type CosignOptions,
  type CosignSigner,
  cosignAttest,
  cosignSign,
} from '../dagger/tools/cosign.ts';
import type { StageContext, StageFn } from '../runtime/types.ts';
import { imageProvenance } from './sign-provenance.ts';
import { requireReleaseSource } from './source-guard.ts';

export { checkVerifyOutput, type VerifiedImage, type VerifyOptions, verify } from '../dagger/verify.ts';

/** The predicates attested for an image, in the order they are pushed. */
export interface Attestations {
  sbom: File;
  vuln: File;
  provenance: File;
}

/**
 * Signs `ref` and attests its predicates, one after another: cosign appends to one `.att` tag per digest,
 * so concurrent attestations of the same image would overwrite each other.
 */
export async function signAndAttest(
  ref: string,
  signer: CosignSigner | (() => Promise<CosignSigner>),
  attestations: Attestations,
  options: CosignOptions = {},
): Promise<AttestationType[]> {
  // A function gives a signer per call (keyless: a fresh OIDC token each time, see signing.ts).
  const forCall = typeof signer === 'function' ? signer : async () => signer;
  const steps: [AttestationType, File][] = [
    ['cyclonedx', attestations.sbom],
    ['vuln', attestations.vuln],
    [SLSA_PROVENANCE_V1, attestations.provenance],
  ];
  await cosignSign(ref, await forCall(), options).sync();
  const done: AttestationType[] = [];
  for (const [type, predicate] of steps) {
    await cosignAttest(ref, type, predicate, await forCall(), options).sync();
    done.push(type);
  }
  return done;
}

const trivyVersion = IMAGES.trivy.replace(/^.*:v?/, '');

async function predicates(
  ctx: StageContext,
  component: Component,
  image: { ref: string; sbom?: string | undefined },
) {
  const now = new Date();
  const provenance = await imageProvenance(ctx, component, now);
  const dir = join(ctx.outDir, 'attestations');
  const m = ctx.manifest.get();
  // The build contract names the image scan report; a replaced build gives its own path.
  const fromBuild = (m.outputs.build as { images?: Record<string, { scanReport?: string }> } | undefined)
    ?.images?.[component.name]?.scanReport;
  const trivyReport = fromBuild
    ? resolve(ctx.repoRoot, fromBuild)
    : join(ctx.outDir, 'reports', `trivy-image-${component.name}.json`);
  const report = await readFile(trivyReport, 'utf8').catch(() => {
    throw new InputError('SIGN_NO_SCAN', `the image scan report ${trivyReport} is missing`, {
      hint: 'run the build stage first; it writes the image scan that is attested',
    });
  });
  const files = {
    vuln: join(dir, `${component.name}.vuln.json`),
    provenance: join(dir, `${component.name}.slsa.json`),
  };
  await writeReportFile(files.provenance, provenance);
  await writeReportFile(files.vuln, vulnPredicate(JSON.parse(report), trivyVersion, now));
  const sbom = image.sbom
    ? resolve(ctx.repoRoot, image.sbom)
    : join(ctx.outDir, 'sbom', `${component.name}.cdx.json`);
  const host = dag.host();
  return { sbom: host.file(sbom), vuln: host.file(files.vuln), provenance: host.file(files.provenance) };
}

/** `<repository>:sha256-<hex>.sig`, where cosign stores the signature of a digest. */
export function signatureTag(ref: string): string {
  const [repository, digest = ''] = ref.split('@');
  return `${repository}:${digest.replace(':', '-')}.sig`;
}

/** The sign stage (see the module comment). */
export const signStage: StageFn = async (ctx) => {
  const m = ctx.manifest.get();
  const images = ctx.config.components.flatMap((c) => {
    const image = m.components[c.name]?.image;
    return image ? [{ component: c, image }] : [];
  });
  if (images.length === 0) {
    throw new StageError('SIGN_NOTHING', 'no published image in the run manifest to sign', {
      hint: 'run the build stage first (gantry run --from build)',
    });
  }
  await requireReleaseSource(ctx, 'sign', 'release');
  const target = registryTarget(ctx.config, m.runId);
  const options: CosignOptions = {
    registry: await registryAccess(target, COSIGN_UID),
    insecureRegistry: target.kind === 'embedded',
  };
  const signer = await resolveSigner(ctx.config.signing, { env: ctx.env, repoRoot: ctx.repoRoot });
  const signed = await Promise.all(
    images.map(async ({ component, image }) => {
      const files = await predicates(ctx, component, image);
      const attestations = await signAndAttest(toolRef(target, image.ref), signer.forCall, files, options);
      return { component, ref: image.ref, image, attestations };
    }),
  );
  if (ctx.config.provenance.githubAttestation) {
    const subjects = githubAttestSubjects(signed.flatMap((s) => (s.image ? [s.image] : [])));
    await writeFileAtomic(join(ctx.outDir, GITHUB_ATTEST_SUBJECTS), subjects);
  }
  await ctx.manifest.update((draft) => {
    if (signer.publicKey) draft.signingPublicKey = signer.publicKey;
    for (const s of signed) {
      const record = draft.components[s.component.name];
      if (record)
        record.signature = { ref: signatureTag(s.ref), signer: signer.name, attestations: s.attestations };
    }
  });
  return { message: `${signed.map((s) => s.ref).join(', ')} signed by ${signer.name}` };
};
