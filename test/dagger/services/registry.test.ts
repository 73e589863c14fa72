/**
 * Registry credentials for Docker Hub. Dagger v0.21.8 `auth/registry.go` `parseAuthAddress` keys every Docker
 * Hub spelling as `docker.io`; Docker configs key Docker Hub as `https://index.docker.io/v1/` (buildkit
 * authprovider.go `dockerHubConfigfileKey`, vendored in Dagger v0.21.8). Facts §10.
 */
import { connection, dag } from '@dagger.io/dagger';
import { describe, expect, it } from 'vitest';
import {
  dockerConfigKey,
  publishImage,
  registryAccess,
  registryAuthAddress,
} from '../../../src/dagger/services/registry.ts';
import { startTestEngine } from '../../support/engine/index.ts';

const DIGEST = `sha256:${'d4'.repeat(32)}`;

describe('registry auth (wire)', () => {
  it.each([
    ['docker.io/acme', 'docker.io'],
    ['index.docker.io/acme', 'docker.io'],
    ['registry-1.docker.io/acme', 'docker.io'],
    ['ghcr.io/acme', 'ghcr.io'],
    ['registry.example.com:5000/team', 'registry.example.com:5000'],
  ])('withRegistryAuth address of %s is %s', (address, expected) => {
    expect(registryAuthAddress(address)).toBe(expected);
  });

  it('publishes to Docker Hub with the credentials under docker.io, and gives tools the Docker Hub config key', async () => {
    expect(dockerConfigKey('docker.io')).toBe('https://index.docker.io/v1/');
    expect(dockerConfigKey('ghcr.io')).toBe('ghcr.io');
    const engine = await startTestEngine({
      leaves: (leaf) => (leaf.field === 'publish' ? `docker.io/acme/api:abc@${DIGEST}` : undefined),
      secrets: { 'env://HUB_TOKEN': 'hub-secret' },
    });
    let config = '';
    try {
      await engine.run(() =>
        connection(async () => {
          const target = {
            kind: 'remote' as const,
            address: 'docker.io/acme',
            username: 'bot',
            password: dag.secret('env://HUB_TOKEN'),
          };
          await publishImage(dag.container().from('alpine:3.20'), target, 'api', 'abc');
          const access = await registryAccess(target);
          const ctr = access(dag.container().from('alpine:3.20'));
          await ctr.withExec(['true']).sync();
        }),
      );
      const publish = engine.calls.find((c) => c.steps.at(-1)?.field === 'publish');
      const auth = publish?.steps.find((s) => s.field === 'withRegistryAuth');
      expect(auth?.args.address).toBe('docker.io');
      expect(publish?.steps.at(-1)?.args.address).toBe('docker.io/acme/api:abc');
      // The Docker config travels only as setSecret(plaintext:) in the documents.
      config = engine.documents().find((d) => d.includes('gantry-docker-config-docker.io')) ?? '';
      expect(engine.leaks('hub-secret')).toEqual([]);
    } finally {
      await engine.close();
    }
    expect(config).toContain('https://index.docker.io/v1/');
    expect(config).not.toMatch(/\\"docker\.io\\"/);
  });
});
