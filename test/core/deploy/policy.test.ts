import { describe, expect, it } from 'vitest';
import { Component } from '../../../src/core/config/schema.ts';
import { checkDeployPolicy, deployImages } from '../../../src/core/deploy/policy.ts';
import { newManifest } from '../../../src/core/manifest/store.ts';

const digest = (c: string) => `sha256:${c.repeat(64)}`;
const components = [Component.parse({ name: 'api' }), Component.parse({ name: 'web', path: 'web' })];

/** A manifest where `api` and `web` were published to `registry` and, unless listed in `unsigned`, signed. */
function manifest(registry = 'ghcr.io/acme', unsigned: string[] = []) {
  const m = newManifest({ name: 'local' });
  for (const [i, name] of ['api', 'web'].entries()) {
    const repository = `${registry}/${name}`;
    const d = digest(String(i + 1));
    m.components[name] = {
      image: { repository, digest: d, ref: `${repository}@${d}` },
      ...(unsigned.includes(name)
        ? {}
        : { signature: { ref: `${repository}:sig`, signer: 'key', attestations: [] } }),
    };
  }
  return m;
}

describe('deployImages', () => {
  it('returns each configured component by digest, in config order', () => {
    const images = deployImages({ components }, manifest());
    expect(images.map((i) => [i.component.name, i.ref])).toEqual([
      ['api', `ghcr.io/acme/api@${digest('1')}`],
      ['web', `ghcr.io/acme/web@${digest('2')}`],
    ]);
  });

  it('refuses (exit 2) when a configured component has no digest, naming every missing one', () => {
    const m = manifest();
    delete m.components.web;
    expect(() => deployImages({ components }, m)).toThrow(
      expect.objectContaining({
        exitCode: 2,
        code: 'NO_IMAGE_DIGEST',
        message: expect.stringMatching(/for web$/),
      }),
    );
    expect(() => deployImages({ components }, newManifest({ name: 'local' }))).toThrow(/for api, web$/);
  });
});

describe('checkDeployPolicy', () => {
  it('accepts signed images from an allowed registry', () => {
    const m = manifest();
    expect(() => checkDeployPolicy(deployImages({ components }, m), m, ['ghcr.io/acme'])).not.toThrow();
    expect(() => checkDeployPolicy(deployImages({ components }, m), m, ['x.io', 'ghcr.io'])).not.toThrow();
  });

  it('refuses (exit 3) an image from another registry, also one that merely starts with the allowed text', () => {
    const m = manifest('ghcr.io/acme-evil');
    expect(() => checkDeployPolicy(deployImages({ components }, m), m, ['ghcr.io/acme'])).toThrow(
      expect.objectContaining({
        exitCode: 3,
        code: 'REGISTRY_NOT_ALLOWED',
        message: expect.stringMatching(
          /acme-evil\/api@.*, ghcr\.io\/acme-evil\/web@.* are not from an allowed registry \(ghcr\.io\/acme\)$/,
        ),
      }),
    );
    const one = manifest('ghcr.io/acme');
    one.components.web = {
      ...one.components.web,
      image: { repository: 'evil.io/web', digest: digest('2'), ref: `evil.io/web@${digest('2')}` },
    };
    const images = deployImages({ components }, one);
    expect(() => checkDeployPolicy(images, one, ['ghcr.io/acme'])).toThrow(
      /^evil\.io\/web@\S+ is not from an allowed registry/,
    );
    expect(() => checkDeployPolicy(images, one, [])).toThrow(expect.objectContaining({ exitCode: 3 }));
  });

  it('refuses (exit 3) an image without a signature in the manifest, naming each', () => {
    const m = manifest('ghcr.io/acme', ['web']);
    expect(() => checkDeployPolicy(deployImages({ components }, m), m, ['ghcr.io/acme'])).toThrow(
      expect.objectContaining({
        exitCode: 3,
        code: 'IMAGE_UNSIGNED',
        message: expect.stringMatching(/^ghcr\.io\/acme\/web@\S+ has no signature in the run manifest/),
      }),
    );
    const both = manifest('ghcr.io/acme', ['api', 'web']);
    expect(() => checkDeployPolicy(deployImages({ components }, both), both, ['ghcr.io/acme'])).toThrow(
      /^ghcr\.io\/acme\/api@\S+, ghcr\.io\/acme\/web@\S+ have no signature/,
    );
  });
});

describe('deploy refusals say how to fix them', () => {
  it('each refusal carries its fix', () => {
    const noDigest = newManifest({ name: 'local' });
    expect(() => deployImages({ components }, noDigest)).toThrow(
      expect.objectContaining({
        hint: 'run the build stage first (gantry run --phase release), or pass the manifest of the release job',
      }),
    );
    const foreign = manifest('evil.io/x');
    expect(() => checkDeployPolicy(deployImages({ components }, foreign), foreign, ['ghcr.io/acme'])).toThrow(
      expect.objectContaining({
        hint: 'deploy only images built and published by this pipeline to the configured registry',
      }),
    );
    const unsigned = manifest('ghcr.io/acme', ['api']);
    expect(() =>
      checkDeployPolicy(deployImages({ components }, unsigned), unsigned, ['ghcr.io/acme']),
    ).toThrow(
      expect.objectContaining({ hint: 'run the sign stage (gantry run --phase release) before deploying' }),
    );
  });
});

describe('deploy policy details', () => {
  it('names every allowed registry in the refusal', () => {
    const m = manifest('evil.io/x');
    expect(() =>
      checkDeployPolicy(deployImages({ components }, m), m, ['ghcr.io/acme', 'registry.acme.dev']),
    ).toThrow(/are not from an allowed registry \(ghcr\.io\/acme, registry\.acme\.dev\)$/);
  });

  it('an image of a component the manifest does not hold is unsigned, not a crash', () => {
    const m = manifest();
    const stray = { component: Component.parse({ name: 'stray' }), ref: `ghcr.io/acme/stray@${digest('3')}` };
    expect(() => checkDeployPolicy([stray], m, ['ghcr.io/acme'])).toThrow(
      expect.objectContaining({ code: 'IMAGE_UNSIGNED', exitCode: 3 }),
    );
  });
});
