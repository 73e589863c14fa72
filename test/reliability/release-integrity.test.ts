/**
 * Release integrity (issue 11): deploy exactly the verified ref, approvals that cannot be forged or replayed,
 * and later phases on the approved commit only. Each attack runs `gantry run` in-process against the wire
 * engine and checks what the engine was asked to do: no `kubectl apply`, no approval attested.
 */
import { execFile } from 'node:child_process';
import { appendFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { APPROVAL_PREDICATE_TYPE } from '../../src/core/approval/statement.ts';
import { contentHash } from '../../src/core/manifest/store.ts';
import type { TestEngine } from '../support/engine/index.ts';
import { AttestationRegistry, fullPipelineScenario } from '../support/scenarios.ts';
import { KEY_SIGNING } from '../support/signing.ts';
import { BASE_CONFIG, ROOT, type Workspace, withEngine, workspace } from './support.ts';

const git = promisify(execFile);
let cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups) await c();
  cleanups = [];
});

const OTHER_DIGEST = `sha256:${'e'.repeat(64)}`;
/** Key mode with a separate approval key: what a CI configuration uses (generated keys are refused there). */
const KEY_CONFIG = {
  ...BASE_CONFIG,
  signing: KEY_SIGNING,
};
const github = (runId: string, extra: Record<string, string> = {}) => ({
  GITHUB_ACTIONS: 'true',
  GITHUB_RUN_ID: runId,
  GITHUB_REPOSITORY: 'acme/hello-api',
  GITHUB_SERVER_URL: 'https://github.com',
  ...extra,
});

/** Adds an empty commit to the clone at `dir`, moving HEAD away from what a run verified. */
function emptyCommit(dir: string, message: string) {
  const identity = ['-c', 'user.name=t', '-c', 'user.email=t@example.com'];
  return git('git', ['-C', dir, ...identity, 'commit', '-q', '--allow-empty', '-m', message]);
}

async function newWorkspace(config: object = BASE_CONFIG): Promise<Workspace> {
  const ws = await workspace(config);
  cleanups.push(ws.cleanup);
  return ws;
}

const applied = (engine: TestEngine) =>
  engine.execs().filter((e) => e.argv[0] === 'kubectl' && e.argv[1] === 'apply');
const attested = (engine: TestEngine) =>
  engine.execs().filter((e) => e.argv[1] === 'attest' && e.argv.includes(APPROVAL_PREDICATE_TYPE));

/** Runs `gantry run <args>` in `ws` against a fresh engine sharing `registry`. */
async function gantry(ws: Workspace, registry: AttestationRegistry, args: string[], env = {}, cwd = ROOT) {
  return withEngine(fullPipelineScenario({ attestations: registry }), async (engine) => ({
    // The signing secrets are set, as the release job maps them in (the pre-flight checks they are).
    result: await ws.run(
      engine,
      args,
      { COSIGN_KEY: 'cosign-key', COSIGN_PASSWORD: 'cosign-password', ...env },
      cwd,
    ),
    engine,
  }));
}

/** A workspace released up to `until` with --yes (one local process). */
async function released(
  until: string,
  config: object = BASE_CONFIG,
  registry = new AttestationRegistry(),
  cwd = ROOT,
) {
  const ws = await newWorkspace(config);
  const { result } = await gantry(ws, registry, ['--until', until, '--yes'], {}, cwd);
  expect(result.code, result.stderr).toBe(0);
  return ws;
}

describe('deploy exactly the verified ref', () => {
  it('repository/digest swapped behind an unchanged ref: the manifest is refused, nothing deployed', async () => {
    const registry = new AttestationRegistry();
    const ws = await released('approve-production', BASE_CONFIG, registry);
    await ws.editManifest((m) => {
      const image = m.components['hello-api']?.image;
      if (!image) throw new Error('no image');
      image.repository = 'docker.io/attacker/backdoor';
      image.digest = OTHER_DIGEST;
    });
    const { result, engine } = await gantry(ws, registry, ['--only', 'deploy-production']);
    // A digest swap is exit 4 (issue 11): Gantry never writes a record whose parts disagree.
    expect(result.code).toBe(4);
    expect(result.stderr).toMatch(/MANIFEST_CHANGED[\s\S]*disagrees with ref/);
    expect(applied(engine)).toEqual([]);
    expect((await ws.readManifest()).deployments.filter((d) => d.environment === 'production')).toEqual([]);
  }, 90_000);
});

describe('approvals that cannot be forged or replayed', () => {
  it('a forged approval with a recomputed content hash: exit 4, the registry is asked, nothing deployed', async () => {
    const registry = new AttestationRegistry();
    const ws = await released('deploy-staging', BASE_CONFIG, registry);
    await ws.editManifest((m) => {
      const image = m.components['hello-api']?.image;
      if (!image) throw new Error('no image');
      image.digest = OTHER_DIGEST;
      image.ref = `${image.repository}@${OTHER_DIGEST}`;
      m.approvalPublicKey = m.signingPublicKey;
      m.contentHash = contentHash(m);
      m.approvals.push({
        hash: m.contentHash,
        by: 'release-manager',
        at: new Date().toISOString(),
        platform: 'github',
        selfApproved: false,
      });
    });
    const { result, engine } = await gantry(ws, registry, ['--only', 'deploy-production']);
    expect(result.code, result.stderr).toBe(4);
    expect(
      engine.execs().some((e) => e.argv[1] === 'verify-attestation' && e.argv.at(-1)?.endsWith(OTHER_DIGEST)),
    ).toBe(true);
    expect(applied(engine)).toEqual([]);
  }, 90_000);

  it('spoofed platform variables (GITHUB_ACTIONS=true GITHUB_ACTOR=ceo): no approval, nothing attested or deployed', async () => {
    const registry = new AttestationRegistry();
    const ws = await released('deploy-staging', BASE_CONFIG, registry);
    const spoofed = github('1', { GITHUB_ACTOR: 'ceo', GITHUB_TRIGGERING_ACTOR: 'ceo' });
    const approve = await gantry(ws, registry, ['--phase', 'approve'], spoofed);
    expect(approve.result.code, approve.result.stderr).toBe(4);
    expect(approve.result.stderr).toMatch(/key generated for the run, and that is refused on CI/);
    expect(attested(approve.engine)).toEqual([]);
    expect((await ws.readManifest()).approvals).toEqual([]);
    const promote = await gantry(ws, registry, ['--phase', 'promote'], spoofed);
    expect(promote.result.code).toBe(4);
    expect(applied(promote.engine)).toEqual([]);

    // With a real approval key on the machine the approval is signed, but the approver is never the actor.
    const keyed = await released('deploy-staging', KEY_CONFIG, registry);
    const signed = await gantry(keyed, registry, ['--phase', 'approve'], spoofed);
    expect(signed.result.code, signed.result.stderr).toBe(0);
    expect((await keyed.readManifest()).approvals.map((a) => a.by)).toEqual(['unknown']);
  }, 120_000);

  it('GitHub flow: approve and promote in one workflow run deploy; the approval replayed into another run is refused', async () => {
    const registry = new AttestationRegistry();
    const first = await released('deploy-staging', KEY_CONFIG, registry);
    const approve = await gantry(first, registry, ['--phase', 'approve'], github('100'));
    expect(approve.result.code, approve.result.stderr).toBe(0);
    expect(attested(approve.engine)).toHaveLength(1);
    // The approval key, never the release key, signs; the release key is not even mounted.
    expect(
      attested(approve.engine)[0]
        ?.secrets.map((s) => s.secret)
        .sort(),
    ).toEqual(['env://GANTRY_APPROVAL_KEY', 'env://GANTRY_APPROVAL_PASSWORD']);

    // Another run with the same digests (same commit, cached build) tries to reuse run 100's approval.
    const second = await released('deploy-staging', KEY_CONFIG, registry);
    expect((await second.readManifest()).components['hello-api']?.image?.ref).toBe(
      (await first.readManifest()).components['hello-api']?.image?.ref,
    );
    const replay = await gantry(second, registry, ['--phase', 'promote'], github('200'));
    expect(replay.result.code).toBe(4);
    expect(replay.result.stderr).toMatch(/run 100/);
    expect(applied(replay.engine)).toEqual([]);
    // Copying the manifest's approval record along does not help: it is a note, not proof.
    const notes = (await first.readManifest()).approvals;
    await second.editManifest((m) => {
      m.approvals.push(...notes);
    });
    expect((await gantry(second, registry, ['--phase', 'promote'], github('200'))).result.code).toBe(4);

    // The legitimate path: the promote job of run 100 verifies the signed approval and deploys.
    const promote = await gantry(first, registry, ['--phase', 'promote'], github('100'));
    expect(promote.result.code, promote.result.stderr).toBe(0);
    const verified = promote.engine.execs().find((e) => e.argv[1] === 'verify-attestation');
    expect(verified?.argv).toEqual(expect.arrayContaining(['--type', APPROVAL_PREDICATE_TYPE, '--key']));
    expect(applied(promote.engine)).toHaveLength(1);
  }, 180_000);

  it('phase by phase locally with a recorded approval: the promote phase verifies the signed approval', async () => {
    const registry = new AttestationRegistry();
    const ws = await released('deploy-staging', BASE_CONFIG, registry);
    const hash = (await ws.readManifest()).contentHash ?? '';
    expect((await gantry(ws, registry, ['--phase', 'approve', '--approve', hash])).result.code).toBe(0);
    const promote = await gantry(ws, registry, ['--phase', 'promote']);
    expect(promote.result.code, promote.result.stderr).toBe(0);
    expect(promote.engine.execs().some((e) => e.argv[1] === 'verify-attestation')).toBe(true);
    expect(applied(promote.engine)).toHaveLength(1);
  }, 120_000);
});

describe('later phases act on the approved commit only', () => {
  /** A shared clone of this repository at HEAD: a work tree the test may commit to and dirty. */
  async function clone(): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), 'gantry-clone-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    await git('git', ['clone', '-q', '--shared', ROOT, dir]);
    return dir;
  }

  it('promote on another commit or with changed tracked files: exit 4, nothing deployed', async () => {
    for (const change of ['commit', 'dirty'] as const) {
      const dir = await clone();
      const registry = new AttestationRegistry();
      const ws = await released('approve-production', BASE_CONFIG, registry, dir);
      if (change === 'commit') {
        await emptyCommit(dir, 'privileged sidecar');
      } else {
        await appendFile(
          join(dir, 'examples/hello-api/k8s/overlays/production/kustomization.yaml'),
          '\n# changed\n',
        );
      }
      const { result, engine } = await gantry(ws, registry, ['--phase', 'promote'], {}, dir);
      expect(result.code, `${change}: ${result.stderr}`).toBe(4);
      expect(result.stderr).toMatch(
        change === 'commit' ? /HEAD is [a-f0-9]{12}, but this run verified/ : /tracked files differ/,
      );
      expect(applied(engine)).toEqual([]);
    }
  }, 180_000);

  it('release after verify on another commit: exit 2, nothing built or published', async () => {
    const dir = await clone();
    const registry = new AttestationRegistry();
    const ws = await newWorkspace();
    expect((await gantry(ws, registry, ['--phase', 'verify'], {}, dir)).result.code).toBe(0);
    await emptyCommit(dir, 'later');
    const { result, engine } = await gantry(ws, registry, ['--phase', 'release'], {}, dir);
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toMatch(/build refuses: HEAD is/);
    expect(engine.calls.some((c) => c.steps.at(-1)?.field === 'publish')).toBe(false);
  }, 120_000);
});
