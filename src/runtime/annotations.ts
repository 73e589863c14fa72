/**
 * The annotations of a run: each failed or blocked stage, and the error- and warning-level findings of the
 * SARIF reports this run wrote (file and line from each result's first physical location).
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Annotation } from '../core/platforms/index.ts';
import type { RunSummary } from './types.ts';

interface SarifResult {
  ruleId?: string;
  level?: string;
  message?: { text?: string };
  locations?: {
    physicalLocation?: { artifactLocation?: { uri?: string }; region?: { startLine?: number } };
  }[];
}

/** Stage failures first, then findings (errors before warnings), for the platform's per-level limit. */
export async function runAnnotations(
  summary: RunSummary,
  reportsDir: string,
  since: Date,
): Promise<Annotation[]> {
  const failures: Annotation[] = summary.events.flatMap((e) =>
    e.kind === 'failed' || e.kind === 'blocked'
      ? [
          {
            level: 'error' as const,
            title: e.kind === 'blocked' ? `${e.stage} blocked by policy` : `${e.stage} failed`,
            message: `${e.message}${e.hint ? `\nfix: ${e.hint}` : ''}`,
          },
        ]
      : [],
  );
  const findings: Annotation[] = [];
  const files = await readdir(reportsDir).catch(() => [] as string[]);
  for (const name of files.filter((f) => f.endsWith('.sarif')).sort()) {
    const file = join(reportsDir, name);
    // Only reports this run wrote: an earlier phase's findings were annotated by its own job.
    if ((await stat(file)).mtime < since) continue;
    let log: { runs?: { tool?: { driver?: { name?: string } }; results?: SarifResult[] }[] };
    try {
      log = JSON.parse(await readFile(file, 'utf8'));
    } catch {
      continue;
    }
    for (const run of log.runs ?? []) {
      for (const r of run.results ?? []) {
        if (r.level !== 'error' && r.level !== 'warning') continue;
        const location = r.locations?.[0]?.physicalLocation;
        findings.push({
          level: r.level,
          title: `${run.tool?.driver?.name ?? 'scanner'} ${r.ruleId ?? ''}`.trim(),
          message: r.message?.text ?? r.ruleId ?? 'finding',
          file: location?.artifactLocation?.uri ? decodeURI(location.artifactLocation.uri) : undefined,
          line: location?.region?.startLine,
        });
      }
    }
  }
  const order = { error: 0, warning: 1, notice: 2 };
  return [...failures, ...findings.sort((a, b) => order[a.level] - order[b.level])];
}
