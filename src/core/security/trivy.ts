/**
 * Parser for Trivy JSON reports (`trivy … --format json`, SchemaVersion 2), every version still in use.
 *
 * Pitfalls handled: `Results` and `Vulnerabilities` absent, `null` or empty; no `Status` before v0.44 (a
 * present `FixedVersion` then means fixed); one CVE on several packages is several findings; the same id in
 * several targets, and one target under two classes, dedupe by stable id; misconfigurations count only when
 * they failed; suppressed findings (`ExperimentalModifiedFindings`) are reported, never counted.
 */
import { z } from 'zod';
import { compileCheck, fastParse } from './fast-check.ts';
import {
  FIX_STATUSES,
  type Finding,
  type FixStatus,
  findingId,
  type MisconfigurationFinding,
  type SecretFinding,
  type Severity,
  TRIVY_SEVERITIES,
  trivySeverity,
  type VulnerabilityFinding,
} from './finding.ts';
import { invalidReport, unknownSeverity } from './report-error.ts';
import { dedupe, type ScanReport, type SuppressedFinding } from './scan-report.ts';

const text = z.string().nullish();
const list = <T extends z.ZodType>(item: T) => z.array(item).nullish();

const vulnerabilitySchema = z.looseObject({
  VulnerabilityID: z.string(),
  PkgName: text,
  PkgPath: text,
  InstalledVersion: text,
  FixedVersion: text,
  Status: text,
  Severity: text,
  Title: text,
  Description: text,
  PrimaryURL: text,
  References: list(z.string()),
});

const misconfigurationSchema = z.looseObject({
  ID: text,
  AVDID: text,
  Title: text,
  Description: text,
  Message: text,
  Resolution: text,
  Severity: text,
  Status: text,
  PrimaryURL: text,
  References: list(z.string()),
  CauseMetadata: z.looseObject({ StartLine: z.number().nullish() }).nullish(),
});

const secretSchema = z.looseObject({
  RuleID: z.string(),
  Category: text,
  Severity: text,
  Title: text,
  StartLine: z.number().nullish(),
});

const modifiedSchema = z.looseObject({
  Type: z.string(),
  Status: text,
  Statement: text,
  Source: text,
  Finding: z.looseObject({}).nullish(),
});

const resultSchema = z.looseObject({
  Target: z.string(),
  Class: text,
  Type: text,
  Vulnerabilities: list(vulnerabilitySchema),
  Misconfigurations: list(misconfigurationSchema),
  Secrets: list(secretSchema),
  ExperimentalModifiedFindings: list(modifiedSchema),
});

/** Zod schema of the parts of a Trivy JSON report the gate reads. */
export const trivyReportSchema = z.looseObject({
  SchemaVersion: z.literal(2),
  ArtifactName: text,
  Trivy: z.looseObject({ Version: text }).nullish(),
  Metadata: z.looseObject({ OS: z.looseObject({ Family: text, Name: text }).nullish() }).nullish(),
  Results: list(resultSchema),
});

const conforms = compileCheck(trivyReportSchema);

type TrivyResult = z.infer<typeof resultSchema>;
type TrivyVulnerability = z.infer<typeof vulnerabilitySchema>;

const statuses: ReadonlySet<string> = new Set(FIX_STATUSES);

/** Fix status of a Trivy vulnerability; before v0.44 there is no `Status`, so a fixed version means fixed. */
export function trivyFixStatus(status: string | null | undefined, fixedVersion: string): FixStatus {
  if (!status) return fixedVersion ? 'fixed' : 'affected';
  return statuses.has(status) ? (status as FixStatus) : 'unknown';
}

/** Misconfiguration statuses that are not failures; anything else (even none) counts, failing closed. */
const passing: ReadonlySet<string | null | undefined> = new Set(['PASS', 'EXCEPTION']);

/**
 * Parses a Trivy JSON report (already `JSON.parse`d) into normalised findings.
 * @param source - the file name, for error messages.
 * @throws PolicyError when the document is not a SchemaVersion 2 Trivy report.
 */
export function parseTrivyReport(json: unknown, source = '<input>'): ScanReport {
  const parsed = fastParse(trivyReportSchema, conforms, json);
  if (!parsed.success) throw invalidReport(source, 'Trivy JSON (SchemaVersion 2)', parsed.error);
  const report = parsed.data;
  const all: Finding[] = [];
  const suppressed: SuppressedFinding[] = [];
  const severity = (raw: unknown, where: string): Severity =>
    trivySeverity(raw) ?? throwUnknown(source, raw, where);
  for (const result of report.Results ?? []) {
    const at = result.Target;
    for (const v of result.Vulnerabilities ?? [])
      all.push(vulnerability(at, v, severity(v.Severity, `${at}: ${v.VulnerabilityID}`)));
    for (const m of result.Misconfigurations ?? []) {
      if (passing.has(m.Status)) continue;
      all.push(misconfiguration(at, m, severity(m.Severity, `${at}: ${m.AVDID || m.ID}`)));
    }
    for (const s of result.Secrets ?? []) all.push(secret(at, s, severity(s.Severity, `${at}: ${s.RuleID}`)));
    for (const m of result.ExperimentalModifiedFindings ?? []) suppressed.push(modified(result, m));
  }
  const { findings, duplicates } = dedupe(all);
  const os = report.Metadata?.OS;
  return {
    scanner: 'trivy',
    ...(report.Trivy?.Version ? { scannerVersion: report.Trivy.Version } : {}),
    source,
    ...(report.ArtifactName ? { artifactName: report.ArtifactName } : {}),
    ...(os?.Family ? { operatingSystem: `${os.Family} ${os.Name ?? ''}`.trim() } : {}),
    findings,
    duplicates,
    suppressed,
    errors: [],
  };
}

const noAliases: readonly string[] = [];

function throwUnknown(source: string, raw: unknown, where: string): never {
  throw unknownSeverity(source, 'Trivy', raw, where, TRIVY_SEVERITIES);
}

// Hot path (one call per vulnerability, 100,000s on big images): no spreads, no copied arrays.
function vulnerability(target: string, v: TrivyVulnerability, severity: Severity): VulnerabilityFinding {
  const pkg = v.PkgName ?? '';
  const installedVersion = v.InstalledVersion ?? '';
  const fixedVersion = v.FixedVersion ?? '';
  const location = v.PkgPath ? `${v.PkgPath}:${pkg}@${installedVersion}` : `${pkg}@${installedVersion}`;
  const finding: { -readonly [K in keyof VulnerabilityFinding]: VulnerabilityFinding[K] } = {
    kind: 'vulnerability',
    id: findingId({ scanner: 'trivy', kind: 'vulnerability', ruleId: v.VulnerabilityID, target, location }),
    scanner: 'trivy',
    ruleId: v.VulnerabilityID,
    aliases: noAliases,
    severity,
    // Trivy writes the normalised names (TRIVY_SEVERITIES): validated, the original is the severity
    originalSeverity: severity,
    target,
    title: v.Title ?? v.VulnerabilityID,
    description: v.Description ?? '',
    // PrimaryURL is Trivy's page for the id; the References list usually holds the upstream advisories.
    references: v.References ?? (v.PrimaryURL ? [v.PrimaryURL] : noAliases),
    package: pkg,
    installedVersion,
    fixedVersion,
    status: trivyFixStatus(v.Status, fixedVersion),
    originalStatus: v.Status ?? '',
  };
  if (v.PkgPath) finding.path = v.PkgPath;
  return finding;
}

function misconfiguration(
  target: string,
  m: z.infer<typeof misconfigurationSchema>,
  severity: Severity,
): MisconfigurationFinding {
  const ruleId = m.AVDID || m.ID || 'unknown-check';
  const line = m.CauseMetadata?.StartLine ?? undefined;
  return {
    kind: 'misconfiguration',
    id: findingId({ scanner: 'trivy', kind: 'misconfiguration', ruleId, target, location: target, line }),
    scanner: 'trivy',
    ruleId,
    aliases: m.ID && m.ID !== ruleId ? [m.ID] : [],
    severity,
    originalSeverity: severity,
    target,
    title: m.Title ?? ruleId,
    description: m.Message || m.Description || '',
    references: m.References ?? (m.PrimaryURL ? [m.PrimaryURL] : []),
    path: target,
    ...(line ? { line } : {}),
    ...(m.Resolution ? { resolution: m.Resolution } : {}),
  };
}

function secret(target: string, s: z.infer<typeof secretSchema>, severity: Severity): SecretFinding {
  const line = s.StartLine ?? undefined;
  return {
    kind: 'secret',
    id: findingId({ scanner: 'trivy', kind: 'secret', ruleId: s.RuleID, target, location: target, line }),
    scanner: 'trivy',
    ruleId: s.RuleID,
    aliases: [],
    severity,
    originalSeverity: severity,
    target,
    // The matched text is never copied: even masked, it does not belong in reports.
    title: s.Title ?? s.RuleID,
    description: s.Title ?? '',
    references: [],
    path: target,
    ...(line ? { line } : {}),
    ...(s.Category ? { category: s.Category } : {}),
  };
}

function modified(result: TrivyResult, m: z.infer<typeof modifiedSchema>): SuppressedFinding {
  const f = (m.Finding ?? {}) as Record<string, unknown>;
  const str = (key: string) => (typeof f[key] === 'string' ? (f[key] as string) : '');
  const ruleId = str('VulnerabilityID') || str('AVDID') || str('ID') || str('RuleID') || str('Name');
  const pkg = str('PkgName') ? `${str('PkgName')}@${str('InstalledVersion')}` : '';
  const kinds: Record<string, SuppressedFinding['kind']> = {
    vulnerability: 'vulnerability',
    misconfiguration: 'misconfiguration',
    secret: 'secret',
    license: 'license',
  };
  return {
    kind: kinds[m.Type] ?? 'vulnerability',
    ruleId,
    location: pkg ? `${result.Target}: ${pkg}` : result.Target,
    status: m.Status ?? '',
    statement: m.Statement ?? '',
    source: m.Source ?? '',
  };
}
