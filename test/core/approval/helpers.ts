import type { RunManifest } from '../../../src/core/manifest/schema.ts';
import { contentHash, newManifest } from '../../../src/core/manifest/store.ts';

/** A sha256 digest made of one repeated hex byte. */
export const digestOf = (byte: string) => `sha256:${byte.repeat(32)}`;

/** A manifest after build, sign and a staging deployment of `hello-api`, with its content hash. */
export function releasedManifest(byte = 'ab'): RunManifest {
  const m = newManifest({ name: 'local' }, new Date('2025-01-02T03:04:05Z'));
  const digest = digestOf(byte);
  const ref = `localhost:5000/hello-api@${digest}`;
  m.source = { commit: 'c'.repeat(40), ref: 'main', dirty: false };
  m.components['hello-api'] = {
    image: { repository: 'localhost:5000/hello-api', digest, ref },
    signature: {
      ref: `localhost:5000/hello-api:${digest.replace(':', '-')}.sig`,
      signer: 'key',
      attestations: [],
    },
  };
  m.scan = { verdict: 'passed', counts: {}, waivers: { applied: [], expired: [], unused: [] }, reports: [] };
  m.contentHash = contentHash(m);
  m.deployments.push({
    environment: 'staging',
    digests: { 'hello-api': ref },
    result: 'deployed',
    at: '2025-01-02T03:10:00.000Z',
    contentHash: m.contentHash,
  });
  return m;
}
