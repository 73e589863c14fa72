import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.ts';

describe('gantry plan', () => {
  it('prints the nine stages in dependency order', async () => {
    const result = await runCli(['plan']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatchInlineSnapshot(`
      "9 of 9 stages selected, in dependency order:
         1. checkout             verify    needs: -
            the repository source (git-ignored files excluded); records commit, ref and dirty flag
            - hello-api (examples/hello-api)
         2. deps                 verify    needs: checkout
            installs each component's dependencies in its toolchain image (cache keyed on the lockfile)
            - hello-api (examples/hello-api): image node:22.14.0-alpine3.20, file package-lock.json
                $ npm ci --no-audit --no-fund
         3. test                 verify    needs: deps
            runs each component's tests and collects its JUnit report
            - hello-api (examples/hello-api): image node:22.14.0-alpine3.20, file examples/hello-api/reports/junit.xml
                $ npm test
         4. scan                 verify    needs: deps
            Trivy filesystem scan and Semgrep SAST, gated by policies/default.yaml
            tools: aquasec/trivy:0.57.1, semgrep/semgrep:1.96.0
         5. build                release   needs: test, scan
            builds each image, scans it before publishing, makes an SBOM, publishes by digest
            - hello-api (examples/hello-api): image localhost:5000/hello-api, file examples/hello-api/Dockerfile
            tools: aquasec/trivy:0.57.1
            registry: localhost:5000 (embedded, ephemeral: local runs only)
         6. sign                 release   needs: build
            cosign signature and attestations of each digest (signing: generated)
            tools: gcr.io/projectsigstore/cosign:v2.4.1
            registry: localhost:5000 (embedded, ephemeral: local runs only)
         7. deploy-staging       release   needs: sign
            verifies signatures, deploys the digests to staging with kubernetes, smoke-checks, rolls back on failure
            - hello-api (examples/hello-api): image localhost:5000/hello-api@sha256:…
            registry: localhost:5000 (embedded, ephemeral: local runs only)
            environment staging: driver kubernetes, namespace staging, from k8s/overlays/staging, embedded k3s, smoke GET /healthz on port 8080 → 200, no approval
         8. approve-production   approve   needs: deploy-staging
            an approval of the exact digests before deploying to production
            environment production: driver kubernetes, namespace production, from k8s/overlays/production, embedded k3s, smoke GET /healthz on port 8080 → 200, approval required
         9. deploy-production    promote   needs: approve-production
            verifies signatures, deploys the digests to production with kubernetes, smoke-checks, rolls back on failure
            - hello-api (examples/hello-api): image localhost:5000/hello-api@sha256:…
            registry: localhost:5000 (embedded, ephemeral: local runs only)
            environment production: driver kubernetes, namespace production, from k8s/overlays/production, embedded k3s, smoke GET /healthz on port 8080 → 200, approval required
      "
    `);
  });

  it('marks needs that come from an earlier run', async () => {
    const result = await runCli(['plan', '--phase', 'release']);
    expect(result.stdout).toContain(
      'build                release   needs: test (from manifest), scan (from manifest)',
    );
  });

  it('prints machine-readable JSON', async () => {
    const result = await runCli(['plan', '--format', 'json', '--only', 'checkout,deps', '--only', 'test']);
    const plan = JSON.parse(result.stdout);
    expect(plan.version).toBe(2);
    expect(plan.order).toEqual(['checkout', 'deps', 'test']);
    expect(plan.phases).toEqual(['verify', 'release', 'approve', 'promote']);
    expect(plan.stages).toHaveLength(9);
    expect(plan.stages.find((s: { name: string }) => s.name === 'build')).toMatchObject({
      name: 'build',
      phase: 'release',
      needs: ['test', 'scan'],
      selected: false,
      always: false,
    });
  });

  it('prints Mermaid with the stages not selected styled apart', async () => {
    const result = await runCli(['plan', '--format', 'mermaid', '--phase', 'approve']);
    expect(result.stdout).toMatch(/^flowchart LR\n/);
    expect(result.stdout).toContain('  deploy_staging --> approve_production');
    expect(result.stdout).toMatch(/class checkout,.*deploy_production skipped/);
    expect(result.stdout).not.toMatch(/class .*\bapprove_production\b.* skipped/);
  });

  it('rejects an unknown format or flag with exit 2', async () => {
    expect((await runCli(['plan', '--format', 'yaml'])).code).toBe(2);
    const bad = await runCli(['plan', '--phse', 'verify']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('usage: gantry plan');
  });
});
