/**
 * Reusable wire-engine scenarios for whole-pipeline runs: every later-stage tool answers like a healthy
 * run (clean scanner reports, an SBOM, a cosign key pair, a kubeconfig, a finished rollout and a 200 smoke
 * check). `cosign verify` succeeds only for a digest that was signed (by a `cosign sign` in this engine
 * session, or given as `signed` for one signed by an earlier job), like cosign, which fails with "no matching
 * signatures" otherwise; its JSON names that digest.
 */
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import type { ExecRule, Fault, LeafQuery, Scenario, Step } from './engine/index.ts';

/** A Trivy report without findings (fs or image). */
export const CLEAN_TRIVY = '{"SchemaVersion":2,"ArtifactName":".","ArtifactType":"filesystem"}';
/** A Semgrep report without findings. */
export const CLEAN_SEMGREP = '{"results":[],"errors":[]}';
/** A minimal CycloneDX SBOM. */
export const SBOM = '{"bomFormat":"CycloneDX","specVersion":"1.5","components":[]}';
/** The public key `cosign generate-key-pair` "writes". */
export const PUBLIC_KEY =
  '-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEwiretest\n-----END PUBLIC KEY-----\n';
/** A JUnit report of two passed tests and one skipped. */
export const JUNIT = `<?xml version="1.0"?><testsuites><testsuite name="s" tests="3">
<testcase name="a"/><testcase name="b"/><testcase name="c"><skipped/></testcase></testsuite></testsuites>`;
/** What the embedded k3s "prints" as its kubeconfig. */
export const KUBECONFIG = 'apiVersion: v1\nkind: Config\nclusters: []\n';

/** One attestation cosign pushed: its predicate type, the DSSE envelope line verify-attestation prints. */
export interface StoredAttestation {
  type: string;
  /** `sha256:<hex>` of the image it is attached to. */
  digest: string;
  /** The predicate as attested (the file mounted at /gantry/predicate.json). */
  predicate: unknown;
  /** How it was signed: `key` (a mounted key) or `keyless` (an identity token). */
  signer: 'key' | 'keyless';
}

/**
 * The attestations in "the registry", kept across engines (one `gantry run` process each), so a later phase
 * verifies what an earlier one attested. `cosign attest` adds; `cosign verify-attestation --type T` answers,
 * like cosign, with one envelope per line whose payload is the statement cosign builds from the predicate
 * (cosign v2.6.4 attestation.go: `_type` v0.1, subject `{name, digest: {sha256}}`; facts §2, §4), or exits 1
 * when none has that type.
 */
export class AttestationRegistry {
  readonly stored: StoredAttestation[] = [];
  /** Digests a `cosign sign` ran on: the registry keeps signatures across jobs (engine sessions) too. */
  readonly signed = new Set<string>();
  /** The attestations of `type` on `digest`. */
  of(digest: string, type: string): StoredAttestation[] {
    return this.stored.filter((a) => a.digest === digest && a.type === type);
  }
  /** `cosign verify-attestation` stdout for them. */
  envelopes(repository: string, digest: string, type: string): string {
    return this.of(digest, type)
      .map((a) => {
        const statement = {
          _type: 'https://in-toto.io/Statement/v0.1',
          predicateType: a.type,
          subject: [{ name: repository, digest: { sha256: digest.replace(/^sha256:/, '') } }],
          predicate: a.predicate,
        };
        const payload = Buffer.from(JSON.stringify(statement)).toString('base64');
        return JSON.stringify({
          payloadType: 'application/vnd.in-toto+json',
          payload,
          signatures: [{ keyid: '', sig: 'MEUCIQ' }],
        });
      })
      .join('\n');
  }
}

/** The registry every scenario of a test file shares unless given its own. */
export const sharedAttestations = new AttestationRegistry();

const typeOf = (argv: string[]) => argv[argv.indexOf('--type') + 1] ?? 'custom';
const refParts = (argv: string[]) => /^(.*)@(sha256:[a-f0-9]{64})$/.exec(argv.at(-1) ?? '');

/** Records a successful `cosign attest` (its predicate from the mounted file) in `registry`. */
function recordAttestation(registry: AttestationRegistry, steps: Step[]): void {
  const argv = lastArgs(steps);
  const parts = refParts(argv);
  if (argv[0] !== 'cosign' || argv[1] !== 'attest' || !parts?.[2]) return;
  const mount = steps.findLast(
    (s) => s.field === 'withMountedFile' && s.args.path === '/gantry/predicate.json',
  );
  const source = (mount?.args.source as Step[] | undefined) ?? [];
  const file = source.findLast((s) => s.field === 'withNewFile');
  let predicate: unknown = null;
  try {
    predicate = JSON.parse(String(file?.args.contents ?? 'null'));
  } catch {
    predicate = file?.args.contents;
  }
  const signer = steps.some((s) => s.field === 'withSecretVariable' && s.args.name === 'SIGSTORE_ID_TOKEN')
    ? 'keyless'
    : 'key';
  registry.stored.push({ type: typeOf(argv), digest: parts[2], predicate, signer });
}

/** Options of {@link fullPipelineScenario}. */
export interface PipelineScenarioOptions {
  /** Time every exec takes (per distinct exec), to measure parallelism. @default 0 */
  execDelayMs?: number;
  /** Rules tried before the healthy defaults (first match wins). @default [] */
  exec?: ExecRule[];
  /** Trivy fs report. @default {@link CLEAN_TRIVY} */
  trivyFs?: string;
  /** Trivy image report. @default {@link CLEAN_TRIVY} */
  trivyImage?: string;
  /** Semgrep report. @default {@link CLEAN_SEMGREP} */
  semgrep?: string;
  /** `File.contents` by the path of the last `file(path)` call, tried first. @default {} */
  files?: Record<string, string>;
  /** `Secret.plaintext` of `dag.secret(uri)`, by URI. @default {} */
  secrets?: Record<string, string>;
  /** Digests signed by an earlier job (another engine session), which `cosign verify` accepts. @default [] */
  signed?: readonly string[];
  /** Added to every request. @default 0 */
  latencyMs?: number;
  fault?: Fault;
  /** Where attestations are kept across runs. @default {@link sharedAttestations} */
  attestations?: AttestationRegistry;
}

const digestOf = (ref: string | undefined) => /@(sha256:[a-f0-9]{64})$/.exec(ref ?? '')?.[1];

const lastArgs = (steps: Step[]) => {
  const exec = steps.findLast((s) => s.field === 'withExec');
  return (exec?.args.args as string[] | undefined) ?? [];
};

/** Contents of a host file reached as `host().directory(abs)…file(rel)` or `host().file(abs)`: read from disk. */
function hostFile(steps: Step[]): string | undefined {
  if (steps[0]?.field !== 'host') return undefined;
  if (steps.some((s) => s.field === 'withExec' || s.field === 'withNewFile')) return undefined;
  const parts = steps
    .filter((s) => (s.field === 'directory' || s.field === 'file') && typeof s.args.path === 'string')
    .map((s) => String(s.args.path));
  const first = parts[0];
  if (!first || !isAbsolute(first)) return undefined;
  const path = join(...parts);
  return existsSync(path) ? readFileSync(path, 'utf8') : undefined;
}

/**
 * A scenario under which the nine stages pass on a repository whose components follow the example
 * (`examples/hello-api`: kustomize overlays, JUnit at reports/junit.xml). Override any tool by `exec`.
 */
export function fullPipelineScenario(options: PipelineScenarioOptions = {}): Scenario {
  const { execDelayMs = 0, exec = [], signed: signedBefore = [] } = options;
  const delay = execDelayMs ? { delayMs: execDelayMs } : {};
  /**
   * What was signed: the digests `cosign sign` was run on, in this session or an earlier job's against the same
   * registry (kept with the attestations), and those given as signed before.
   */
  const signed = (options.attestations ?? sharedAttestations).signed;
  for (const digest of signedBefore) signed.add(digest);
  const recordSigning = (argv: string[]) => {
    const digest = argv[0] === 'cosign' && argv[1] === 'sign' ? digestOf(argv.at(-1)) : undefined;
    if (digest) signed.add(digest);
    return false; // records only; the rules below answer
  };
  const unsigned = (argv: string[]) =>
    argv[0] === 'cosign' && argv[1] === 'verify' && !signed.has(digestOf(argv.at(-1)) ?? '');
  const files = (steps: Step[]): string | undefined => {
    const path = steps.findLast((s) => s.field === 'file')?.args.path;
    const given = typeof path === 'string' ? options.files?.[path] : undefined;
    if (given !== undefined) return given;
    if (path === '/out/trivy.json') {
      const image = steps.some((s) => s.field === 'withExec' && (s.args.args as string[])[1] === 'image');
      return image ? (options.trivyImage ?? CLEAN_TRIVY) : (options.trivyFs ?? CLEAN_TRIVY);
    }
    if (path === '/out/semgrep.json') return options.semgrep ?? CLEAN_SEMGREP;
    if (path === '/out/sbom.cdx.json') return SBOM;
    if (path === '/keys/cosign.pub') return PUBLIC_KEY;
    if (typeof path === 'string' && path.endsWith('reports/junit.xml')) return JUNIT;
    return hostFile(steps);
  };
  const registry = options.attestations ?? sharedAttestations;
  const leaves = (leaf: LeafQuery): unknown => {
    if (leaf.type === 'Container' && leaf.field === 'sync') recordAttestation(registry, leaf.steps);
    if (leaf.type !== 'Container' || leaf.field !== 'stdout') return undefined;
    const argv = lastArgs(leaf.steps);
    if (argv[0] === 'cosign' && argv[1] === 'verify-attestation') {
      const parts = refParts(argv);
      return registry.envelopes(parts?.[1] ?? '', parts?.[2] ?? '', typeOf(argv));
    }
    if (argv[0] === 'cosign' && argv[1] === 'verify') {
      const digest = digestOf(argv.at(-1));
      if (!digest || !signed.has(digest)) return undefined; // the exec failed (see `unsigned`)
      return JSON.stringify([{ critical: { image: { 'docker-manifest-digest': digest } } }]);
    }
    return undefined;
  };
  return {
    exec: [
      { argv: recordSigning },
      ...exec,
      // cosign verify fails when no signature matches (pkg/cosign/verify.go ErrNoMatchingSignatures "no matching
      // signatures"; exit 1 unless wrapped, see /work/notes/cosign-slsa-facts.md section 2 on exit codes)
      { argv: unsigned, exitCode: 1, stderr: 'Error: no matching signatures: no signatures found', ...delay },
      {
        // cosign exits 1 when no attestation has the type (facts §2: "none of the attestations matched").
        argv: (a) =>
          a[0] === 'cosign' &&
          a[1] === 'verify-attestation' &&
          registry.of(refParts(a)?.[2] ?? '', typeOf(a)).length === 0,
        exitCode: 1,
        stderr: 'Error: no matching attestations: none of the attestations matched the predicate type',
      },
      { argv: (a) => a[0] === 'sh' && (a[2] ?? '').includes('kubeconfig'), stdout: KUBECONFIG, ...delay },
      { argv: (a) => a[0] === 'sh' && (a[2] ?? '').includes('curl'), stdout: '200', ...delay },
      { argv: () => true, ...delay },
    ],
    files,
    leaves,
    ...(options.secrets ? { secrets: options.secrets } : {}),
    ...(options.latencyMs ? { latencyMs: options.latencyMs } : {}),
    ...(options.fault ? { fault: options.fault } : {}),
  };
}
