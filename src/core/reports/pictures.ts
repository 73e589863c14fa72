/** The pictures of the run summary: stage timings as a Mermaid Gantt chart and findings by severity. */
import type { RunManifest } from '../manifest/schema.ts';
import { ganttChart } from './gantt.ts';
import { type ScanCounts, severityTable } from './severity.ts';

/**
 * Markdown lines for the summary: a ```mermaid Gantt block of every stage the manifest records (this job's
 * and earlier CI jobs'), and a table of findings by severity. `phaseOf` names each stage's phase.
 */
export function summaryPictures(manifest: RunManifest, phaseOf: (stage: string) => string): string[] {
  const chart = ganttChart(
    Object.entries(manifest.stages).flatMap(([name, record]) =>
      record ? [{ name, phase: phaseOf(name), ...record }] : [],
    ),
  );
  const scans: ScanCounts[] = [];
  if (manifest.scan) scans.push({ title: 'source scan', counts: manifest.scan.counts });
  if (manifest.imageScan) scans.push({ title: 'image scan', counts: manifest.imageScan.counts });
  const table = severityTable(scans);
  return [
    ...(chart ? ['', '### Stage timings', '', '```mermaid', chart.trimEnd(), '```'] : []),
    ...(table.length > 0 ? ['', '### Findings by severity', '', ...table] : []),
  ];
}
