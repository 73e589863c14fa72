/**
 * The SLSA v1 provenance of one component's image, from the run manifest, the CI platform's variables and
 * the component's Dockerfile. Written by the sign stage and attested with cosign.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Component } from '../core/config/schema.ts';
import { InputError } from '../core/errors.ts';
import { baseImages, builderId, repositoryUrl, slsaProvenance, workflowRef } from '../core/provenance.ts';
import type { StageContext } from '../runtime/types.ts';

/** The provenance predicate of `component`'s image; the build started when the build stage did. */
export async function imageProvenance(ctx: StageContext, component: Component, finishedOn: Date) {
  const m = ctx.manifest.get();
  if (!m.source) {
    throw new InputError('SIGN_NO_SOURCE', 'the run manifest has no commit, so no provenance can be made', {
      hint: 'run the checkout stage (or the verify phase) before sign, and pass its manifest along',
    });
  }
  const dockerfile = await readFile(join(ctx.repoRoot, component.path, component.dockerfile), 'utf8').catch(
    () => '',
  );
  const platform = m.platform.name;
  return slsaProvenance({
    repository: repositoryUrl(ctx.env, ctx.repoRoot),
    commit: m.source.commit,
    ref: m.source.ref,
    dirty: m.source.dirty,
    invocationId: m.platform.runUrl ?? m.runId,
    builderId: builderId(platform, ctx.env),
    workflow: workflowRef(platform, ctx.env),
    configFile: ctx.configFile ?? 'gantry.yaml',
    component: component.name,
    dockerfile: component.dockerfile,
    baseImages: baseImages(dockerfile),
    startedOn: new Date(m.stages.build?.startedAt ?? m.createdAt),
    finishedOn,
  });
}
