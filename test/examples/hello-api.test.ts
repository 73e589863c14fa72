import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { createServer } from '../../examples/hello-api/src/server.ts';

const exampleDir = new URL('../../examples/hello-api/', import.meta.url);

async function readYaml(path: string): Promise<Record<string, unknown>> {
  return parse(await readFile(new URL(path, exampleDir), 'utf8')) as Record<string, unknown>;
}

interface Probe {
  httpGet: { path: string; port: string | number };
}
interface Container {
  name: string;
  image: string;
  ports: { name: string; containerPort: number }[];
  readinessProbe: Probe;
  livenessProbe: Probe;
  securityContext: { readOnlyRootFilesystem?: boolean; capabilities?: { drop?: string[] } };
}
interface Deployment {
  kind: string;
  spec: { template: { spec: { securityContext: { runAsNonRoot?: boolean }; containers: Container[] } } };
}

/** Dockerfile instructions as [keyword, arguments], with line continuations joined and comments dropped. */
function instructions(dockerfile: string): [string, string][] {
  return dockerfile
    .replace(/\\\r?\n/g, ' ')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const [keyword = '', ...rest] = line.split(/\s+/);
      return [keyword.toUpperCase(), rest.join(' ')];
    });
}

describe('hello-api server', () => {
  const server = createServer();
  let base = '';
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('answers /healthz with 200 and status ok', async () => {
    const res = await fetch(`${base}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('greets by name and rejects names it cannot safely echo', async () => {
    expect(await (await fetch(`${base}/hello?name=Ada`)).json()).toEqual({ message: 'Hello, Ada!' });
    expect((await fetch(`${base}/hello?name=${encodeURIComponent('<img src=x>')}`)).status).toBe(400);
    expect((await fetch(`${base}/hello?name=${'a'.repeat(1000)}`)).status).toBe(400);
  });

  it('answers unknown paths with a JSON 404', async () => {
    const res = await fetch(`${base}/admin`);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await res.json()).toHaveProperty('error');
  });

  it('answers 200 on every path the Deployment probes', async () => {
    const deployment = (await readYaml('k8s/base/deployment.yaml')) as unknown as Deployment;
    const containers = deployment.spec.template.spec.containers;
    expect(containers.length).toBeGreaterThan(0);
    for (const container of containers) {
      for (const probe of [container.readinessProbe, container.livenessProbe]) {
        const port = probe.httpGet.port;
        const declared = container.ports.map((p) => (typeof port === 'number' ? p.containerPort : p.name));
        expect(declared, `probe port ${port} of container ${container.name}`).toContain(port);
        expect((await fetch(`${base}${probe.httpGet.path}`)).status, probe.httpGet.path).toBe(200);
      }
    }
  });
});

describe('hello-api kubernetes manifests', () => {
  it('runs as non-root with a read-only root filesystem and no capabilities', async () => {
    const deployment = (await readYaml('k8s/base/deployment.yaml')) as unknown as Deployment;
    const pod = deployment.spec.template.spec;
    expect(pod.securityContext.runAsNonRoot).toBe(true);
    for (const container of pod.containers) {
      expect(container.securityContext.readOnlyRootFilesystem).toBe(true);
      expect(container.securityContext.capabilities?.drop).toContain('ALL');
    }
  });

  it('names the Deployment image in the kustomization images entry, so a deploy can pin its digest', async () => {
    const deployment = (await readYaml('k8s/base/deployment.yaml')) as unknown as Deployment;
    const kustomization = (await readYaml('k8s/base/kustomization.yaml')) as { images: { name: string }[] };
    const containerImages = deployment.spec.template.spec.containers.map((c) => c.image);
    expect(kustomization.images.map((i) => i.name)).toEqual(expect.arrayContaining(containerImages));
  });

  it.each(['staging', 'production'])(
    'the %s overlay builds on the base in its own namespace',
    async (env) => {
      const overlay = (await readYaml(`k8s/overlays/${env}/kustomization.yaml`)) as {
        namespace?: string;
        resources: string[];
        replicas?: { name: string; count: number }[];
      };
      expect(overlay.resources).toContain('../../base');
      expect(overlay.namespace).toContain(env);
      expect(overlay.replicas?.[0]?.count).toBeGreaterThan(0);
      for (const resource of overlay.resources.filter((r) => r.endsWith('.yaml'))) {
        const doc = await readYaml(`k8s/overlays/${env}/${resource}`);
        if (doc.kind === 'Namespace') expect(doc.metadata).toEqual({ name: overlay.namespace });
      }
    },
  );
});

describe('hello-api Dockerfile', () => {
  it('pins every base image to a version, never latest', async () => {
    const steps = instructions(await readFile(new URL('Dockerfile', exampleDir), 'utf8'));
    const stages = new Set<string>();
    const froms = steps.filter(([keyword]) => keyword === 'FROM');
    expect(froms.length).toBeGreaterThan(1);
    for (const [, args] of froms) {
      const [image = '', as, alias] = args.split(/\s+/).filter((word) => !word.startsWith('--'));
      if (as?.toUpperCase() === 'AS' && alias) stages.add(alias);
      if (stages.has(image)) continue;
      const [ref = '', digest] = image.split('@');
      const tag = ref.slice(ref.lastIndexOf('/') + 1).split(':')[1] ?? '';
      expect(tag, image).toMatch(/\d/);
      expect(tag, image).not.toMatch(/latest/);
      if (digest !== undefined) expect(digest, image).toMatch(/^sha256:[0-9a-f]{64}$/);
    }
  });

  it('runs the final stage as a non-root user', async () => {
    const steps = instructions(await readFile(new URL('Dockerfile', exampleDir), 'utf8'));
    const finalStage = steps.slice(steps.findLastIndex(([keyword]) => keyword === 'FROM'));
    const users = finalStage.filter(([keyword]) => keyword === 'USER').map(([, args]) => args.split(':')[0]);
    expect(users.length).toBeGreaterThan(0);
    expect(users.at(-1)).not.toMatch(/^(root|0)$/);
  });
});
