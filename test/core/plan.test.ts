import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.ts';

describe('gantry plan', () => {
  it('prints the nine stages in dependency order', async () => {
    const result = await runCli(['plan']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatchInlineSnapshot(`
      "9 of 9 stages selected, in dependency order:
         1. checkout             verify    needs: -
         2. deps                 verify    needs: checkout
         3. test                 verify    needs: deps
         4. scan                 verify    needs: deps
         5. build                release   needs: test, scan
         6. sign                 release   needs: build
         7. deploy-staging       release   needs: sign
         8. approve-production   approve   needs: deploy-staging
         9. deploy-production    promote   needs: approve-production
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
