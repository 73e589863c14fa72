/** Shared setup of the deploy driver wire tests. */
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { connection, dag } from '@dagger.io/dagger';
import { Component, Environment } from '../../../src/core/config/schema.ts';
import type { DeployImage, DeployOutcome, DeployRequest } from '../../../src/dagger/drivers/types.ts';
import { type Scenario, startTestEngine, type TestEngine } from '../../support/engine/index.ts';

export const ROOT = resolve(import.meta.dirname, '../../..');
export const DIGEST = `sha256:${'c3'.repeat(32)}`;
export const KUBECONFIG =
  'apiVersion: v1\nkind: Config\nusers:\n- name: admin\n  user:\n    client-key-data: S3CR3T-KEY\n';

/** The example's staging overlay, as the driver reads it. */
export const stagingOverlay = () =>
  readFile(join(ROOT, 'examples/hello-api/k8s/overlays/staging/kustomization.yaml'), 'utf8');

/** The hello-api image in the embedded registry. */
export function helloImage(): DeployImage {
  const component = Component.parse({ name: 'hello-api', path: 'examples/hello-api' });
  const repository = 'localhost:5000/hello-api';
  return { component, ref: `${repository}@${DIGEST}` };
}

/** A deploy request for staging; the cluster's kubeconfig is a secret made in the session. */
export function request(settings: Record<string, unknown>, logs: string[] = []): () => DeployRequest {
  return () => ({
    environment: 'staging',
    settings: Environment.parse({ name: 'staging', kustomize: 'k8s/overlays/staging', ...settings }),
    namespace: 'staging',
    images: [helloImage()],
    source: (c) => dag.host().directory(join(ROOT, c.path)),
    cluster: { kubeconfig: dag.setSecret('kubeconfig', KUBECONFIG) },
    runId: 'run-42',
    deployId: 'run-42-staging-1',
    log: (line) => logs.push(line),
  });
}

/** Runs a driver against a fresh engine; returns the engine and the outcome or error. */
export async function runDriver(
  scenario: Scenario,
  deploy: (request: DeployRequest) => Promise<DeployOutcome>,
  make: () => DeployRequest,
): Promise<{ engine: TestEngine; outcome?: DeployOutcome; error?: unknown }> {
  const engine = await startTestEngine(scenario);
  let outcome: DeployOutcome | undefined;
  try {
    await engine.run(() =>
      connection(async () => {
        outcome = await deploy(make());
      }),
    );
    return { engine, ...(outcome ? { outcome } : {}) };
  } catch (error) {
    return { engine, error };
  } finally {
    await engine.close();
  }
}
