/**
 * Benchmark of the security gate: read + parse + evaluate a generated Trivy report of 100,000 findings.
 * Aim (issue 4): under 1 s and 300 MB on the project's 2-core machines.
 */
import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { evaluateGate } from '../src/core/security/gate.ts';
import { parsePolicy } from '../src/core/security/policy.ts';
import { readScanReport } from '../src/core/security/report-file.ts';

/** Result of {@link benchGate}. */
export interface GateBench {
  /** Findings in the generated report. */
  readonly findings: number;
  /** Median wall time of read + parse + gate over the runs, in milliseconds. */
  readonly ms: number;
  /** Resident set size of the process before the first read (runtime, transpiler, modules), in MB. */
  readonly baselineRssMb: number;
  /** Peak resident set size of the process, in MB. */
  readonly peakRssMb: number;
}

const severities = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'UNKNOWN'];
const statuses = ['fixed', 'affected', 'will_not_fix', undefined];

function vulnerability(i: number): object {
  const status = statuses[i % statuses.length];
  return {
    VulnerabilityID: `CVE-2024-${String(i % 5000).padStart(5, '0')}`,
    PkgName: `pkg-${i % 977}`,
    InstalledVersion: `1.${i % 13}.${i}`,
    FixedVersion: status === 'fixed' || status === undefined ? `1.${i % 13}.${i + 1}` : '',
    ...(status ? { Status: status } : {}),
    Severity: severities[i % severities.length],
    Title: `pkg-${i % 977}: a generated vulnerability`,
    Description: 'A generated description long enough to look like the real ones. '.repeat(3),
    PrimaryURL: `https://avd.aquasec.com/nvd/cve-2024-${i % 5000}`,
    References: [`https://nvd.nist.gov/vuln/detail/CVE-2024-${i % 5000}`, 'https://example.com/advisory'],
  };
}

/**
 * Writes a Trivy SchemaVersion 2 report with `count` vulnerabilities over 100 targets, one target at a time
 * so that generating it does not inflate the measured peak memory.
 */
export async function writeTrivyReport(file: string, count: number): Promise<void> {
  const perTarget = Math.ceil(count / 100);
  const handle = await open(file, 'w');
  try {
    await handle.write('{"SchemaVersion":2,"ArtifactName":"bench","ArtifactType":"filesystem","Results":[');
    for (let t = 0, done = 0; done < count; t++) {
      const n = Math.min(perTarget, count - done);
      const vulns = Array.from({ length: n }, (_, i) => vulnerability(done + i));
      const result = {
        Target: `services/svc-${t}/package-lock.json`,
        Class: 'lang-pkgs',
        Type: 'npm',
        Vulnerabilities: vulns,
      };
      await handle.write(`${t === 0 ? '' : ','}${JSON.stringify(result)}`);
      done += n;
    }
    await handle.write(']}');
  } finally {
    await handle.close();
  }
}

const policyText = `version: 1
vulnerabilities: { block: [CRITICAL, HIGH], ignoreUnfixed: true }
secrets: { block: [CRITICAL, HIGH, MEDIUM, LOW, UNKNOWN] }
misconfigurations: { block: [CRITICAL, HIGH] }
sast: { block: [CRITICAL, HIGH] }
waivers:
  - { id: CVE-2024-00001, reason: bench, expires: 2999-12-31 }
  - { id: CVE-2024-00002, reason: bench, expires: 2000-01-01, package: pkg-2 }
`;

/** Generates a 100,000-finding Trivy report in a temp dir and measures read + parse + gate (median of 5). */
export async function benchGate(findings = 100_000, runs = 5): Promise<GateBench> {
  const dir = await mkdtemp(join(tmpdir(), 'gantry-bench-gate-'));
  try {
    const file = join(dir, 'trivy.json');
    await writeTrivyReport(file, findings);
    return await benchGateFile(file, findings, runs);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Measures read + parse + gate of an existing report (median of `runs`). Run it in a fresh process on a file
 * written by another, so that the peak memory is the gate's and not the report generator's.
 */
export async function benchGateFile(file: string, findings: number, runs = 5): Promise<GateBench> {
  const policy = parsePolicy(policyText, 'bench-policy.yaml');
  const times: number[] = [];
  // Collect between runs, so the peak is that of one run and not garbage left by the previous ones.
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  gc();
  const baselineRssMb = Math.round(process.memoryUsage().rss / 1e6);
  for (let run = 0; run < runs; run++) {
    gc();
    const start = performance.now();
    const report = await readScanReport(file, 'trivy');
    const verdict = evaluateGate([report], policy, { now: new Date('2025-01-01T00:00:00Z') });
    times.push(performance.now() - start);
    if (verdict.total !== findings)
      throw new Error(`bench: expected ${findings} findings, got ${verdict.total}`);
  }
  times.sort((a, b) => a - b);
  return {
    findings,
    ms: Math.round(times[Math.floor(times.length / 2)] ?? 0),
    baselineRssMb,
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
  };
}
