import { resolve } from 'node:path';
import { writeFileAtomic } from '../core/atomic-write.ts';
import { exitCodeOf } from '../core/errors.ts';
import type { RunManifest } from '../core/manifest/schema.ts';
import { summaryPictures } from '../core/reports/pictures.ts';
import { writeCiVariables } from './ci-variables.ts';
import type { RunSummary } from './types.ts';

const icon: Record<string, string> = { passed: '✅', failed: '❌', blocked: '⛔', skipped: '⏭️' };

/** Names the phase of a stage, for the Gantt chart's sections. */
export type PhaseOf = (stage: string) => string;

/**
 * The Markdown run summary (stages, durations, timing chart, digests, findings, approvals, deployments).
 * `phaseOf` names each stage's phase, one chart section per phase. @default one section, "run"
 */
export function markdownSummary(
  manifest: RunManifest,
  summary: RunSummary,
  phaseOf: PhaseOf = () => 'run',
): string {
  const lines = [
    `## Gantry run ${summary.exitCode === 0 ? 'passed' : `did not pass (exit ${summary.exitCode})`}`,
    '',
  ];
  if (manifest.source) {
    lines.push(
      `Commit \`${manifest.source.commit.slice(0, 12)}\` on \`${manifest.source.ref}\`${manifest.source.dirty ? ' (dirty)' : ''}`,
      '',
    );
  }
  lines.push('| stage | result | duration | note |', '|---|---|---|---|');
  for (const e of summary.events) {
    if (e.kind === 'started') continue;
    const duration = 'durationMs' in e ? `${(e.durationMs / 1000).toFixed(1)}s` : '';
    const note = e.kind === 'skipped' ? e.reason : (e.message ?? '');
    lines.push(`| ${e.stage} | ${icon[e.kind] ?? ''} ${e.kind} | ${duration} | ${escapeCell(note)} |`);
  }
  lines.push(...summaryPictures(manifest, phaseOf));
  const images = Object.entries(manifest.components).filter(([, c]) => c.image);
  if (images.length > 0) {
    lines.push('', '### Images', '', '| component | image | signed |', '|---|---|---|');
    for (const [name, c] of images)
      lines.push(`| ${name} | \`${c.image?.ref}\` | ${c.signature ? 'yes' : 'no'} |`);
  }
  for (const [title, scan] of [
    ['Source scan', manifest.scan],
    ['Image scan', manifest.imageScan],
  ] as const) {
    if (!scan) continue;
    lines.push(
      '',
      `### ${title}: ${scan.verdict}`,
      '',
      '| kind | critical | high | medium | low | unknown |',
      '|---|---|---|---|---|---|',
    );
    for (const [kind, bySeverity] of Object.entries(scan.counts)) {
      const n = (s: string) => bySeverity[s] ?? 0;
      lines.push(
        `| ${kind} | ${n('CRITICAL')} | ${n('HIGH')} | ${n('MEDIUM')} | ${n('LOW')} | ${n('UNKNOWN')} |`,
      );
    }
    const { applied, expired, unused } = scan.waivers;
    if (applied.length + expired.length + unused.length > 0) {
      lines.push(
        '',
        `Waivers — applied: ${applied.join(', ') || 'none'}; expired: ${expired.join(', ') || 'none'}; unused: ${unused.join(', ') || 'none'}`,
      );
    }
  }
  for (const a of manifest.approvals)
    lines.push('', `Approved by **${a.by}** on ${a.platform} at ${a.at} for \`${a.hash}\``);
  for (const d of manifest.deployments)
    lines.push('', `Deployed to **${d.environment}**: ${d.result}${d.url ? ` (${d.url})` : ''}`);
  return `${lines.join('\n')}\n`;
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ').slice(0, 200);
}

/** Writes the Markdown summary atomically. */
export async function writeRunSummary(
  file: string,
  manifest: RunManifest,
  summary: RunSummary,
  phaseOf?: PhaseOf,
): Promise<void> {
  await writeFileAtomic(file, markdownSummary(manifest, summary, phaseOf));
}

/**
 * Writes `summary.md` and `gantry.env` into `outDir` for a run that stopped before its stages could report
 * (no engine reachable, the engine session lost): the summary says why, so a CI job that uploads `out/` on
 * failure always has the three files. The manifest itself was written before the engine was contacted.
 */
export async function writeStoppedRunOutputs(
  outDir: string,
  manifest: RunManifest,
  error: unknown,
): Promise<void> {
  const summary: RunSummary = { events: [], exitCode: exitCodeOf(error), durationMs: 0 };
  const reason = (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
  const text = markdownSummary(manifest, summary).replace(
    '| stage | result | duration | note |',
    `The run stopped before its stages finished: ${escapeCell(reason)}\n\n| stage | result | duration | note |`,
  );
  await writeFileAtomic(resolve(outDir, 'summary.md'), text);
  await writeCiVariables(resolve(outDir, 'gantry.env'), manifest);
}
