/** Test helpers: JSON Schema validators for generated reports, and findings from the shared fixtures. */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Ajv as Ajv07, type ValidateFunction } from 'ajv';
import ajvDraft04 from 'ajv-draft-04';
import addFormatsModule from 'ajv-formats';
import type { ScanReport } from '../../../src/core/security/scan-report.ts';
import { parseSemgrepReport } from '../../../src/core/security/semgrep.ts';
import { parseTrivyReport } from '../../../src/core/security/trivy.ts';
import { fixtureFiles, fixturesDir, readJson } from '../security/helpers.ts';

// Both are CommonJS modules whose class/function is also exported as `default`.
const Ajv04 = ajvDraft04.default;
const addFormats = addFormatsModule as unknown as (ajv: object) => void;
const require = createRequire(import.meta.url);

/** Validator for the official SARIF 2.1.0 schema (draft-04), shipped by @microsoft/jest-sarif. */
export function sarifValidator(): ValidateFunction {
  const schema = JSON.parse(
    readFileSync(require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8'),
  );
  // The schema has a pattern that is invalid under the `u` flag ('…{2}]?$'), so compile without it.
  const ajv = new Ajv04({ allErrors: true, strict: false, unicodeRegExp: false });
  addFormats(ajv);
  return ajv.compile(schema);
}

/** Validator for one of GitLab's report schemas in ../shared/fixtures/gitlab (draft-07). */
export function gitlabValidator(name: string): ValidateFunction {
  const schema = readJson(join(fixturesDir, 'gitlab', name)) as { $schema?: string };
  if (schema.$schema !== 'http://json-schema.org/draft-07/schema#') throw new Error(`${name}: not draft-07`);
  const ajv = new Ajv07({ allErrors: true, strict: false });
  addFormats(ajv);
  return ajv.compile(schema);
}

/** Every shared Trivy and Semgrep JSON fixture, parsed. */
export function fixtureReports(): ScanReport[] {
  return [
    ...fixtureFiles('trivy', '.json').map((f) => parseTrivyReport(readJson(f), f)),
    ...fixtureFiles('semgrep', '.json').map((f) => parseSemgrepReport(readJson(f), f)),
  ];
}
