/**
 * The kubectl image and what the drivers derive from it.
 * Source: kubernetes/kubernetes PR #116672 ("Added a container image for `kubectl` at `registry.k8s.io/kubectl`",
 * first pushed with v1.28) and `build/server-image/kubectl/Dockerfile` (`COPY ${BINARY} /bin/`,
 * `ENTRYPOINT ["/bin/kubectl"]`, no `USER`, apt installs bash grep sed gawk coreutils jq diffutils: no curl).
 * bitnami/kubectl lost its versioned tags in August 2025 (bitnami/containers#83267). See /work/notes/issue12-facts.md §1.
 */
import { connection, dag } from '@dagger.io/dagger';
import { describe, expect, it } from 'vitest';
import { Environment } from '../../../src/core/config/schema.ts';
import { IMAGES } from '../../../src/core/images.ts';
import {
  KUBECONFIG_PATH,
  KUBECTL_BIN,
  KUBECTL_UID,
  kubectl,
  SMOKE_SCRIPT,
  smokeCheck,
} from '../../../src/dagger/drivers/kubectl.ts';
import { type Step, startTestEngine } from '../../support/engine/index.ts';

describe('kubectl image (wire)', () => {
  it('is the official registry.k8s.io image by version, run as root, with /bin/kubectl copied for the smoke check', async () => {
    expect(IMAGES.kubectl).toMatch(/^registry\.k8s\.io\/kubectl:v1\.31\.\d+$/);
    expect(KUBECTL_BIN).toBe('/bin/kubectl');
    expect(KUBECTL_UID).toBe('0');
    const engine = await startTestEngine({ exec: [{ argv: SMOKE_SCRIPT, stdout: '200' }] });
    try {
      await engine.run(() =>
        connection(async () => {
          const cluster = { kubeconfig: dag.setSecret('kubeconfig', 'apiVersion: v1') };
          await kubectl(cluster, 'd-1').withExec(['kubectl', 'version', '--client']).sync();
          await smokeCheck(
            cluster,
            'd-1',
            { namespace: 'ns', deployment: 'app' },
            Environment.parse({ name: 'staging' }).smoke,
          );
        }),
      );
      const [version, smoke] = engine.execs();
      expect(version?.image).toBe(IMAGES.kubectl);
      const owner = (steps: Step[]) =>
        steps.find((s) => s.field === 'withMountedSecret' && s.args.path === KUBECONFIG_PATH)?.args.owner;
      expect(owner(version?.steps ?? [])).toBe('0');
      // The smoke check runs in curl (the kubectl image has no curl) as curl's own uid, with kubectl copied in.
      expect(smoke?.image).toBe(IMAGES.curl);
      expect(owner(smoke?.steps ?? [])).toBe('100');
      const copied = smoke?.copies.find((c) => c.path === '/usr/local/bin/kubectl');
      expect(copied?.source.find((s) => s.field === 'from')?.args.address).toBe(IMAGES.kubectl);
      expect(copied?.source.at(-1)).toEqual({ field: 'file', args: { path: '/bin/kubectl' } });
    } finally {
      await engine.close();
    }
  });
});
