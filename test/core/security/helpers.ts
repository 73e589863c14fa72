/** Test helpers: the shared real tool outputs and small builders of scanner JSON. */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repository root. */
export const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
/** `../shared/fixtures` beside the repository. */
export const fixturesDir = resolve(repoRoot, '../shared/fixtures');

/** Every fixture file of a folder with the given extension, as absolute paths. */
export function fixtureFiles(folder: string, ext: string): string[] {
  const dir = join(fixturesDir, folder);
  return readdirSync(dir)
    .filter((name) => name.endsWith(ext))
    .map((name) => join(dir, name));
}

/** Reads and parses a JSON fixture. */
export function readJson(file: string): unknown {
  return JSON.parse(readFileSync(file, 'utf8'));
}

/**
 * Walks any JSON value and calls `visit` with every object and the key it sits under (array entries get the
 * key of their array). An independent way to count entries, not sharing code with the parsers.
 */
export function walk(
  value: unknown,
  visit: (obj: Record<string, unknown>, key: string) => void,
  key = '',
): void {
  if (Array.isArray(value)) {
    for (const item of value) walk(item, visit, key);
  } else if (value && typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    visit(obj, key);
    for (const [k, v] of Object.entries(obj)) walk(v, visit, k);
  }
}

/** A minimal Trivy vulnerability entry. */
export function vuln(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    VulnerabilityID: 'CVE-2024-0001',
    PkgName: 'openssl',
    InstalledVersion: '1.0.0',
    FixedVersion: '1.0.1',
    Status: 'fixed',
    Severity: 'HIGH',
    Title: 'openssl: a flaw',
    ...overrides,
  };
}

/** A Trivy SchemaVersion 2 report with the given results. */
export function trivyReport(results: unknown, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    SchemaVersion: 2,
    ArtifactName: 'app:1.0',
    ArtifactType: 'container_image',
    Results: results,
    ...extra,
  };
}

/** A Semgrep result entry. */
export function semgrepResult(overrides: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) {
  return {
    check_id: 'rules.no-eval',
    path: 'src/app.ts',
    start: { line: 3, col: 1, offset: 10 },
    end: { line: 3, col: 20, offset: 29 },
    extra: {
      severity: 'ERROR',
      message: 'eval is dangerous',
      fingerprint: 'abc',
      lines: 'eval(x)',
      ...extra,
    },
    ...overrides,
  };
}
