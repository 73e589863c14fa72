/**
 * Secret canary: every secret input (registry password, cosign key and password, kubeconfig, GitOps token,
 * OIDC request token and the OIDC token itself) set to a unique random value; full pipeline runs against the
 * wire-test engine, passing and failing; no canary in stdout, stderr, any file under out/ (manifest
 * included), nor in any GraphQL document outside a `setSecret` call — neither as is nor encoded (base64 and
 * base64url at any offset, URL-encoded, JSON-escaped, hex: `encodedForms` in test/support/engine/leaks.ts).
 * The detectors are shown to find a deliberate leak in each form.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { connection, dag } from '@dagger.io/dagger';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CliResult } from '../support/cli.ts';
import type { ExecRule, TestEngine } from '../support/engine/index.ts';
import { leakPlaces } from '../support/engine/leaks.ts';
import { fullPipelineScenario } from '../support/scenarios.ts';
import { BASE_CONFIG, type Workspace, withEngine, workspace } from './support.ts';

const canary = (name: string) => `canary-${name}-${randomBytes(12).toString('hex')}`;
const SECRETS = {
  REGISTRY_PASSWORD: canary('registry'),
  COSIGN_KEY: `-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\n${canary('cosign-key')}\n-----END ENCRYPTED SIGSTORE PRIVATE KEY-----`,
  COSIGN_PASSWORD: canary('cosign-password'),
  KUBECONFIG_STAGING: `apiVersion: v1\nkind: Config\nusers: [{name: ci, user: {token: ${canary('kubeconfig')}}}]`,
  GITOPS_TOKEN: canary('gitops'),
  ACTIONS_ID_TOKEN_REQUEST_TOKEN: canary('oidc-request'),
};
const OIDC_TOKEN = canary('oidc-token');
/** Every canary, with the name of its input. */
const ALL = [...Object.entries(SECRETS), ['OIDC_TOKEN', OIDC_TOKEN] as const];
const uris = Object.fromEntries(Object.entries(SECRETS).map(([name, value]) => [`env://${name}`, value]));

let oidc: Server;
let oidcUrl = '';
beforeAll(async () => {
  oidc = createServer((req, res) => {
    const ok = req.headers.authorization === `bearer ${SECRETS.ACTIONS_ID_TOKEN_REQUEST_TOKEN}`;
    res
      .writeHead(ok ? 200 : 403, { 'content-type': 'application/json' })
      .end(ok ? JSON.stringify({ value: OIDC_TOKEN }) : '{}');
  });
  await new Promise<void>((resolve) => oidc.listen(0, '127.0.0.1', resolve));
  oidcUrl = `http://127.0.0.1:${(oidc.address() as AddressInfo).port}/token`;
});
afterAll(() => new Promise<void>((resolve) => oidc.close(() => resolve())));

let ws: Workspace | undefined;
afterEach(async () => {
  await ws?.cleanup();
  ws = undefined;
});

const registry = { address: 'ghcr.io/acme', username: 'bot', password: 'env://REGISTRY_PASSWORD' };
/** GitHub, keyless signing, a registry, a kubeconfig for staging and GitOps for production. */
const GITHUB_CONFIG = {
  ...BASE_CONFIG,
  registry,
  signing: {
    mode: 'keyless',
    identity: 'https://github.com/acme/shop/.github/workflows/ci.yml@refs/heads/main',
    issuer: 'https://token.actions.githubusercontent.com',
    // Approvals are signed by the dedicated approve workflow's identity (a generated key is refused on CI).
    approval: {
      mode: 'keyless',
      identity: 'https://github.com/acme/shop/.github/workflows/gantry-approve.yml@refs/heads/main',
      issuer: 'https://token.actions.githubusercontent.com',
    },
  },
  environments: {
    staging: { ...BASE_CONFIG.environments.staging, kubeconfig: 'env://KUBECONFIG_STAGING' },
    production: {
      driver: 'gitops',
      approval: true,
      gitops: {
        repository: 'https://github.com/acme/deploy',
        file: 'prod/kustomization.yaml',
        token: 'env://GITOPS_TOKEN',
      },
    },
  },
};
const githubEnv = () => ({
  ...SECRETS,
  GITHUB_ACTIONS: 'true',
  GITHUB_ACTOR: 'octocat',
  GITHUB_RUN_ID: '42',
  GITHUB_REPOSITORY: 'acme/shop',
  GITHUB_SERVER_URL: 'https://github.com',
  ACTIONS_ID_TOKEN_REQUEST_URL: oidcUrl,
});
const GITOPS_FILE =
  'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nimages:\n  - name: hello-api\n    newName: ghcr.io/acme/hello-api\n    newTag: old\n';

/** Where each canary appears: output, files under `dir`, engine documents. */
async function findCanaries(result: CliResult, dir: string, engine: TestEngine): Promise<string[]> {
  const found: string[] = [];
  const files = (await readdir(dir, { recursive: true, withFileTypes: true })).filter((e) => e.isFile());
  const texts = await Promise.all(
    files.map(
      async (f) => [join(f.parentPath, f.name), await readFile(join(f.parentPath, f.name), 'utf8')] as const,
    ),
  );
  for (const [label, value] of ALL) {
    const places = [
      ...leakPlaces('stdout', result.stdout, value),
      ...leakPlaces('stderr', result.stderr, value),
      ...texts.flatMap(([file, text]) => leakPlaces(file, text, value)),
      ...engine.leaks(value).map((place) => `engine ${place}`),
    ];
    for (const place of places) found.push(`${label} in ${place}`);
  }
  return found;
}

async function canaryRun(config: object, args: string[], env: Record<string, string>, exec: ExecRule[] = []) {
  ws = await workspace(config);
  const w = ws;
  return withEngine(
    fullPipelineScenario({ secrets: uris, exec, files: { '/repo/prod/kustomization.yaml': GITOPS_FILE } }),
    async (engine) => {
      const result = await w.run(engine, args, env);
      return { result, engine, leaks: await findCanaries(result, w.dir, engine) };
    },
  );
}

describe('secret canary', () => {
  it('the detectors find a deliberate leak: a canary in a document outside setSecret, and in a file under out/', async () => {
    ws = await workspace();
    const w = ws;
    await withEngine({}, async (engine) => {
      await engine.run(() =>
        connection(async () => {
          await dag
            .container()
            .from('alpine')
            .withSecretVariable('OK', dag.setSecret('ok', SECRETS.GITOPS_TOKEN))
            .sync();
          await dag.container().from('alpine').withEnvVariable('LEAK', SECRETS.REGISTRY_PASSWORD).sync();
        }),
      );
      await mkdir(join(w.dir, 'out'), { recursive: true });
      await writeFile(join(w.dir, 'out', 'log.txt'), `password=${SECRETS.COSIGN_PASSWORD}`);
      const found = await findCanaries(
        { code: 0, stdout: '', stderr: `token ${SECRETS.KUBECONFIG_STAGING}` },
        w.dir,
        engine,
      );
      expect(found).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^REGISTRY_PASSWORD in engine request \d+$/),
          expect.stringMatching(/^COSIGN_PASSWORD in .*out\/log\.txt$/),
          'KUBECONFIG_STAGING in stderr',
        ]),
      );
      expect(found.some((f) => f.startsWith('GITOPS_TOKEN'))).toBe(false);
    });
  });

  it('the detectors find encoded leaks: base64 in a Docker config written with withNewFile, and the other forms', async () => {
    ws = await workspace();
    const w = ws;
    await withEngine({}, async (engine) => {
      // The classic leak: a registry password base64-encoded (as "user:password", so at an offset) into a
      // Docker config file written into a container as plain file contents instead of a mounted secret.
      const auth = Buffer.from(`bot:${SECRETS.REGISTRY_PASSWORD}`).toString('base64');
      const dockerConfig = JSON.stringify({ auths: { 'ghcr.io': { auth } } });
      await engine.run(() =>
        connection(async () => {
          await dag
            .container()
            .from('alpine')
            .withNewFile('/root/.docker/config.json', dockerConfig)
            .withExec(['true'])
            .sync();
        }),
      );
      await mkdir(join(w.dir, 'out'), { recursive: true });
      // base64url of the cosign password at offset 2, hex of the GitOps token, and the multi-line kubeconfig
      // JSON-escaped (as it would be inside a JSON report).
      const url = Buffer.from(`::${SECRETS.COSIGN_PASSWORD}`).toString('base64url');
      await writeFile(
        join(w.dir, 'out', 'report.json'),
        JSON.stringify({ k: SECRETS.KUBECONFIG_STAGING, url }),
      );
      await writeFile(
        join(w.dir, 'out', 'dump.txt'),
        Buffer.from(SECRETS.GITOPS_TOKEN).toString('hex').toUpperCase(),
      );
      const found = await findCanaries(
        {
          code: 1,
          stdout: `https://x/?t=${encodeURIComponent(SECRETS.COSIGN_KEY)}`,
          // a base64 wrapped at 76 columns, as PEM and `base64` do
          stderr: Buffer.from(`x${SECRETS.ACTIONS_ID_TOKEN_REQUEST_TOKEN}`)
            .toString('base64')
            .replace(/(.{10})/g, '$1\n'),
        },
        w.dir,
        engine,
      );
      expect(found).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^REGISTRY_PASSWORD in engine request \d+ \(base64\)$/),
          expect.stringMatching(/^COSIGN_PASSWORD in .*out\/report\.json \(base64(url)?\)$/),
          expect.stringMatching(/^KUBECONFIG_STAGING in .*out\/report\.json \(json\)$/),
          expect.stringMatching(/^GITOPS_TOKEN in .*out\/dump\.txt \(hex\)$/),
          'COSIGN_KEY in stdout (url)',
          'ACTIONS_ID_TOKEN_REQUEST_TOKEN in stderr (base64)',
        ]),
      );
      // Not a verbatim match anywhere: only the encoded detectors found these.
      expect(found.filter((f) => !f.endsWith(')'))).toEqual([]);
      expect(found.some((f) => f.startsWith('OIDC_TOKEN'))).toBe(false);
    });
  });

  it('GitHub, keyless (OIDC), registry password, kubeconfig, GitOps token: a passing run leaks nothing', async () => {
    const { result, leaks, engine } = await canaryRun(GITHUB_CONFIG, [], githubEnv());
    expect(result.code, result.stderr).toBe(0);
    expect(engine.execs().some((e) => e.argv.join(' ').startsWith('git push'))).toBe(true);
    expect(leaks).toEqual([]);
  }, 60_000);

  it('local, cosign key and password: a passing run leaks nothing', async () => {
    const config = {
      ...BASE_CONFIG,
      registry,
      signing: {
        mode: 'key',
        key: 'env://COSIGN_KEY',
        password: 'env://COSIGN_PASSWORD',
        publicKey: 'gantry.yaml',
      },
    };
    const { result, leaks } = await canaryRun(config, ['--yes'], SECRETS);
    expect(result.code, result.stderr).toBe(0);
    expect(leaks).toEqual([]);
  }, 60_000);

  it.each([
    ['the OIDC endpoint refusing', { ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'wrong' }, []],
    ['cosign sign failing', {}, [{ argv: /^cosign sign/, exitCode: 1, stderr: 'Error: signing failed' }]],
    [
      'the staging rollout failing',
      {},
      [{ argv: /^kubectl rollout status/, exitCode: 1, stderr: 'timed out' }],
    ],
    [
      'the GitOps push failing',
      {},
      [{ argv: /^git push/, exitCode: 128, stderr: 'fatal: Authentication failed' }],
    ],
    ['semgrep crashing', {}, [{ argv: /^semgrep/, exitCode: 2, stderr: 'boom' }]],
  ] as const)(
    'error path, %s: the run fails and leaks nothing',
    async (_, envChange, exec) => {
      const { result, leaks } = await canaryRun(GITHUB_CONFIG, [], { ...githubEnv(), ...envChange }, [
        ...exec,
      ]);
      expect(result.code).not.toBe(0);
      expect(leaks).toEqual([]);
    },
    60_000,
  );
});
