/**
 * `gantry deploy <env> --release <…>` (issue 11): redeploys only a digest that carries a signed approval for
 * that environment, verified again in the registry together with its signature; anything else exits 4
 * and nothing is applied.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { APPROVAL_PREDICATE_TYPE, type ApprovalPredicate } from '../../../src/core/approval/statement.ts';
import { runCli } from '../../support/cli.ts';
import { startTestEngine } from '../../support/engine/index.ts';
import { AttestationRegistry, fullPipelineScenario } from '../../support/scenarios.ts';
import { KEY_SIGNING } from '../../support/signing.ts';

const ROOT = join(import.meta.dirname, '../../..');
const DIGEST = `sha256:${'ab'.repeat(32)}`;
const REF = `registry.example.com/acme/hello-api@${DIGEST}`;
let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

const CONFIG = {
  version: 1,
  name: 'gantry-example',
  components: [{ name: 'hello-api', path: 'examples/hello-api' }],
  registry: { address: 'registry.example.com/acme' },
  environments: {
    staging: { kustomize: 'k8s/overlays/staging', kubeconfig: 'env://KUBECONFIG_DATA' },
    production: { kustomize: 'k8s/overlays/production', kubeconfig: 'env://KUBECONFIG_DATA' },
  },
  signing: KEY_SIGNING,
  policy: join(ROOT, 'policies/default.yaml'),
};

/** An approval made by an earlier run (run 7 of GitHub) for `environment`. */
function approvedBefore(environment: string): AttestationRegistry {
  const registry = new AttestationRegistry();
  const predicate: ApprovalPredicate = {
    environment,
    commit: 'c'.repeat(40),
    runId: '7',
    manifestRunId: 'an-earlier-run',
    approver: 'release-lead',
    platform: 'github',
    images: { 'hello-api': REF },
    approvedAt: '2025-01-02T05:00:00.000Z',
    selfApproved: false,
  };
  registry.stored.push({ type: APPROVAL_PREDICATE_TYPE, digest: DIGEST, predicate, signer: 'key' });
  return registry;
}

async function deploy(release: string, registry: AttestationRegistry, signed: string[] = [DIGEST]) {
  dir = await mkdtemp(join(tmpdir(), 'gantry-redeploy-'));
  const config = join(dir, 'gantry.yaml');
  await writeFile(config, stringify(CONFIG));
  const engine = await startTestEngine(fullPipelineScenario({ attestations: registry, signed }));
  try {
    const result = await engine.run(() =>
      runCli(
        [
          'deploy',
          'production',
          '--release',
          release,
          '--config',
          config,
          '--manifest',
          join(dir ?? '', 'none.json'),
          '--out',
          join(dir ?? '', 'redeploy.json'),
        ],
        { cwd: ROOT, env: { ...engine.env, KUBECONFIG_DATA: 'apiVersion: v1' } },
      ),
    );
    const execs = engine.execs();
    return {
      result,
      applied: execs.filter((e) => e.argv[0] === 'kubectl' && e.argv[1] === 'apply'),
      verified: execs.filter((e) => e.argv[0] === 'cosign' && e.argv[1] === 'verify'),
      attestation: execs.find((e) => e.argv[1] === 'verify-attestation'),
    };
  } finally {
    await engine.close();
  }
}

describe('gantry deploy <env> --release (wire)', () => {
  it('redeploys a digest approved for the environment before, after verifying approval and signature again', async () => {
    const { result, applied, verified, attestation } = await deploy(REF, approvedBefore('production'));
    expect(result.code, result.stderr).toBe(0);
    expect(attestation?.argv).toEqual(expect.arrayContaining(['--type', APPROVAL_PREDICATE_TYPE, REF]));
    expect(verified).toHaveLength(1);
    expect(applied).toHaveLength(1);
    expect(applied[0]?.steps.find((s) => s.field === 'withNewFile')?.args.contents).toContain(
      `digest: ${DIGEST}`,
    );
    // A bare digest names the same image when there is one component.
    expect((await deploy(DIGEST, approvedBefore('production'))).result.code).toBe(0);
  });

  it('refuses (exit 4) a digest never approved, approved for another environment, or an unknown release', async () => {
    for (const [release, registry] of [
      [REF, new AttestationRegistry()],
      [REF, approvedBefore('staging')],
      ['run-that-is-not-here', approvedBefore('production')],
      [`docker.io/attacker/backdoor@${DIGEST}`, approvedBefore('production')],
    ] as const) {
      const { result, applied } = await deploy(release, registry);
      expect(result.code, `${release}: ${result.stderr}`).toBe(4);
      expect(applied).toEqual([]);
    }
  });

  it('refuses (exit 4) a digest approved for the environment but never signed: cosign verify checks the digest deployed', async () => {
    // the approval is in the registry, the signature is not: the scenario's cosign verify answers only for
    // digests `cosign sign` ran on (or given as signed), like cosign against a registry without a .sig tag
    const { result, applied, verified } = await deploy(REF, approvedBefore('production'), []);
    expect(result.code, result.stderr).toBe(4);
    expect(result.stderr).toContain('SIGNATURE_NOT_VERIFIED');
    expect(verified.map((e) => e.argv.at(-1))).toEqual([REF]);
    expect(applied).toEqual([]);
  });
});
