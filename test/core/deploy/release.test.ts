/**
 * What `gantry deploy <env> --release <x>` may name (src/core/deploy/release.ts): only what identifies images
 * exactly. A tag, a digest that could belong to several components, or a repository outside the configured
 * registry is refused (RELEASE_UNKNOWN, exit 4) before anything is verified or deployed.
 */
import { describe, expect, it } from 'vitest';
import { componentRepository, releaseImages } from '../../../src/core/deploy/release.ts';
import { newManifest } from '../../../src/core/manifest/store.ts';
import { refusal } from '../support/refusal.ts';

const A = `sha256:${'a'.repeat(64)}`;
const B = `sha256:${'b'.repeat(64)}`;
const registry = { address: 'registry.example.com/team' };
const api = { name: 'api', image: 'acme-api' };
const web = { name: 'web' };
type Config = Parameters<typeof releaseImages>[0];
const config = (components: object[], reg: typeof registry | null = registry) =>
  ({ registry: reg ?? undefined, components }) as unknown as Config;

const earlierRun = () => {
  const m = newManifest({ name: 'local' }, new Date('2025-01-02T03:04:05Z'));
  m.components.api = {
    image: {
      repository: 'registry.example.com/team/acme-api',
      digest: A,
      ref: `registry.example.com/team/acme-api@${A}`,
    },
  };
  m.components.web = {
    image: {
      repository: 'registry.example.com/team/web',
      digest: B,
      ref: `registry.example.com/team/web@${B}`,
    },
  };
  m.components.docs = {};
  return m;
};

describe('componentRepository', () => {
  it("is the registry address and the component's image name, or its name", () => {
    const c = config([api, web]);
    expect(componentRepository(c, api as never)).toBe('registry.example.com/team/acme-api');
    expect(componentRepository(c, web as never)).toBe('registry.example.com/team/web');
  });
  it('is undefined without a configured registry (the embedded one does not outlive a run)', () => {
    expect(componentRepository({ registry: undefined }, api as never)).toBeUndefined();
  });
});

describe('releaseImages', () => {
  it("takes a run's images from its manifest, for the configured components only", () => {
    const m = earlierRun();
    // docs has no image in that run, extra is not in its manifest at all
    expect(releaseImages(config([api, web, { name: 'docs' }, { name: 'extra' }]), m.runId, m)).toEqual({
      api: `registry.example.com/team/acme-api@${A}`,
      web: `registry.example.com/team/web@${B}`,
    });
    expect(releaseImages(config([web]), m.runId, m)).toEqual({ web: `registry.example.com/team/web@${B}` });
  });

  it('refuses a run that published no image of a configured component', () => {
    const m = earlierRun();
    const error = refusal(() => releaseImages(config([{ name: 'docs' }]), m.runId, m));
    expect(error.code).toBe('RELEASE_UNKNOWN');
    expect(error.exitCode).toBe(4);
    expect(error.message).toBe(`run ${m.runId} published no image`);
    expect(error.hint).toBe('name a run that released images');
  });

  it("takes repository@sha256 of a component's repository in the configured registry", () => {
    const ref = `registry.example.com/team/web@${B}`;
    expect(releaseImages(config([api, web]), ref, undefined)).toEqual({ web: ref });
  });

  it('takes a bare digest when there is exactly one component', () => {
    expect(releaseImages(config([api]), A, undefined)).toEqual({
      api: `registry.example.com/team/acme-api@${A}`,
    });
  });

  it('refuses a bare digest when there are several components (which one would it be?)', () => {
    const error = refusal(() => releaseImages(config([api, web]), A, undefined));
    expect(error.code).toBe('RELEASE_UNKNOWN');
    expect(error.message).toBe(
      `--release ${A} names no single component's image in registry.example.com/team`,
    );
    expect(error.hint).toBe(
      'give repository@sha256:… of one component, published to the configured registry',
    );
  });

  it('refuses a repository outside the configured registry, and any reference without a configured registry', () => {
    expect(
      refusal(() => releaseImages(config([api]), `evil.example.com/acme-api@${A}`, undefined)).code,
    ).toBe('RELEASE_UNKNOWN');
    const none = refusal(() => releaseImages(config([api], null), A, undefined));
    expect(none.message).toBe(
      `--release ${A} names no single component's image in the configured registry (none: the embedded registry does not outlive a run)`,
    );
  });

  it.each([
    ['a tag', 'registry.example.com/team/web:v1'],
    ['a short digest', 'sha256:abc'],
    ['a digest with more after it', `sha256:${'a'.repeat(64)}0`],
    ['another run id', 'run-unknown'],
  ])('refuses %s, naming the run id at hand', (_name, release) => {
    const m = earlierRun();
    const error = refusal(() => releaseImages(config([api, web]), release, m));
    expect(error.code).toBe('RELEASE_UNKNOWN');
    expect(error.message).toBe(
      `--release ${release} is neither the run id of the manifest at hand (${m.runId}), a digest nor a repository@sha256:… reference`,
    );
    expect(error.hint).toBe(
      'pass the run manifest of that run (--manifest) and its run id, or the digest the earlier run deployed',
    );
  });

  it('says so when there is no manifest at hand', () => {
    const error = refusal(() => releaseImages(config([api]), 'v1', undefined));
    expect(error.message).toBe(
      '--release v1 is neither the run id of the manifest at hand, a digest nor a repository@sha256:… reference',
    );
  });

  it('does not take a digest of another run as that run: a run id must equal the manifest’s', () => {
    const m = earlierRun();
    // the manifest at hand is of another run: the reference is resolved against the configuration
    expect(releaseImages(config([api, web]), `registry.example.com/team/web@${A}`, m)).toEqual({
      web: `registry.example.com/team/web@${A}`,
    });
  });
});
