import { connection } from '@dagger.io/dagger';
import { afterEach, describe, expect, it } from 'vitest';
import { PolicyError } from '../../src/core/errors.ts';
import { EMBEDDED_ADDRESS, embeddedRegistry } from '../../src/dagger/services/registry.ts';
import { checkVerifyOutput, verify } from '../../src/stages/sign.ts';
import { fixture } from '../stages/support.ts';
import { type Scenario, startTestEngine, type TestEngine } from '../support/engine/index.ts';

let engine: TestEngine | undefined;
afterEach(async () => {
  await engine?.close();
  engine = undefined;
});

/** The digest the cosign README's verify output names. */
const SIGNED = 'sha256:7a91c50d922925f152fec96ed1d84b7bc6b2079c169d68826f6cf307f22d40e6';
const OTHER = `sha256:${'d'.repeat(64)}`;
const PEM = '-----BEGIN PUBLIC KEY-----\nabc\n-----END PUBLIC KEY-----\n';

async function run<T>(scenario: Scenario, fn: () => Promise<T>): Promise<{ value?: T; error?: unknown }> {
  await engine?.close();
  engine = await startTestEngine(scenario);
  let value: T | undefined;
  try {
    await engine.run(() =>
      connection(async () => {
        value = await fn();
      }),
    );
    return { value: value as T };
  } catch (error) {
    return { error };
  }
}

describe('verify (wire)', () => {
  it('passes when cosign verifies and every signature names the digest', async () => {
    const stdout = await fixture('cosign/verify-key-pair-cosign-readme.json');
    const ref = `${EMBEDDED_ADDRESS}/tcpconnect@${SIGNED}`;
    const { value, error } = await run({ exec: [{ argv: /^cosign verify/, stdout }] }, () =>
      verify(
        ref,
        { mode: 'generated' },
        {
          publicKey: PEM,
          registry: { kind: 'embedded', address: EMBEDDED_ADDRESS, service: embeddedRegistry('r1') },
        },
      ),
    );
    expect(error).toBeUndefined();
    expect(value).toEqual({ ref, digest: SIGNED, signatures: 1 });
    const exec = engine?.execs().find((e) => e.argv[0] === 'cosign');
    expect(exec?.argv).toEqual([
      'cosign',
      'verify',
      '--key',
      '/gantry/cosign.pub',
      '--insecure-ignore-tlog=true',
      '--output',
      'json',
      '--allow-http-registry',
      '--allow-insecure-registry',
      `registry:5000/tcpconnect@${SIGNED}`,
    ]);
    const key = exec?.mounts.find((m) => m.path === '/gantry/cosign.pub');
    expect(key?.source?.find((s) => s.field === 'withNewFile')?.args.contents).toBe(PEM);
    expect(exec?.services.map((s) => s.alias)).toEqual(['registry']);
  });

  it('refuses (exit 3) when the verification output names a different digest', async () => {
    const stdout = await fixture('cosign/verify-key-pair-cosign-readme.json');
    const { error } = await run({ exec: [{ argv: /^cosign verify/, stdout }] }, () =>
      verify(`ghcr.io/acme/api@${OTHER}`, { mode: 'generated' }, { publicKey: PEM }),
    );
    expect(error).toBeInstanceOf(PolicyError);
    expect(error).toMatchObject({ code: 'SIGNATURE_MISMATCH', exitCode: 3 });
    expect((error as Error).message).toContain(SIGNED);
  });

  it('refuses (exit 3) when cosign fails to verify, showing its error', async () => {
    const { error } = await run(
      { exec: [{ argv: /^cosign verify/, exitCode: 1, stderr: 'Error: no matching signatures' }] },
      () =>
        verify(`ghcr.io/acme/api@${SIGNED}`, {
          mode: 'keyless',
          identity: 'https://github.com/acme/app/.github/workflows/ci.yml@refs/heads/main',
          issuer: 'https://token.actions.githubusercontent.com',
        }),
    );
    expect(error).toMatchObject({ code: 'SIGNATURE_INVALID', exitCode: 3 });
    expect((error as Error).message).toContain('no matching signatures');
    const exec = engine?.execs().find((e) => e.argv[0] === 'cosign');
    expect(exec?.argv).toEqual([
      'cosign',
      'verify',
      '--certificate-identity',
      'https://github.com/acme/app/.github/workflows/ci.yml@refs/heads/main',
      '--certificate-oidc-issuer',
      'https://token.actions.githubusercontent.com',
      '--output',
      'json',
      `ghcr.io/acme/api@${SIGNED}`,
    ]);
  });

  it('refuses a tag and a generated signature without its public key, before running cosign', async () => {
    const tag = await run({}, () =>
      verify('ghcr.io/acme/api:latest', { mode: 'generated' }, { publicKey: PEM }),
    );
    expect(tag.error).toMatchObject({ code: 'NOT_BY_DIGEST', exitCode: 3 });
    const noKey = await run({}, () => verify(`ghcr.io/acme/api@${SIGNED}`, { mode: 'generated' }));
    expect(noKey.error).toMatchObject({ code: 'NO_PUBLIC_KEY' });
    expect(engine?.execs()).toEqual([]);
  });
});

describe('checkVerifyOutput', () => {
  it('rejects output that is not a non-empty JSON array of signatures of that digest', () => {
    expect(() => checkVerifyOutput('', 'r', SIGNED)).toThrow(/no JSON/);
    expect(() => checkVerifyOutput('[]', 'r', SIGNED)).toThrow(/no signature/);
    const two = JSON.stringify([
      { critical: { image: { 'docker-manifest-digest': SIGNED } } },
      { critical: { image: { 'docker-manifest-digest': OTHER } } },
    ]);
    expect(() => checkVerifyOutput(two, 'r', SIGNED)).toThrow(PolicyError);
    expect(checkVerifyOutput(two.replace(OTHER, SIGNED), 'r', SIGNED).signatures).toBe(2);
  });
});
