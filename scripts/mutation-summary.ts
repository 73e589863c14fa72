/**
 * Turns Stryker's JSON reports (reports/mutation/.runs/<group>.json, not committed) into the small summary that is
 * committed: reports/mutation/summary.md (score per file, and every surviving or uncovered mutant with its
 * place and replacement) and reports/mutation/summary.json (the same figures, for tools).
 */
import { execFileSync } from 'node:child_process';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';

interface Mutant {
  id: string;
  mutatorName: string;
  replacement?: string;
  status: string;
  location: { start: { line: number; column: number } };
}
interface Report {
  files: Record<string, { mutants: Mutant[] }>;
}

const dir = 'reports/mutation';
const runs = (await readdir(`${dir}/.runs`)).filter((f) => f.endsWith('.json')).sort();
const report: Report = { files: {} };
const measured: string[] = [];
for (const run of runs) {
  const part = JSON.parse(await readFile(`${dir}/.runs/${run}`, 'utf8')) as Report;
  Object.assign(report.files, part.files);
  measured.push(`${run.replace(/\.json$/, '')} (${(await stat(`${dir}/.runs/${run}`)).mtime.toISOString()})`);
}
const commit = execFileSync('git', ['rev-parse', 'HEAD'], { encoding: 'utf8' }).trim();
const dirty =
  execFileSync('git', ['status', '--porcelain', '--', 'src', 'test'], { encoding: 'utf8' }).trim() !== '';

const KILLED = new Set(['Killed', 'Timeout']);
const ignored = Object.values(report.files)
  .flatMap((f) => f.mutants)
  .filter((m) => m.status === 'Ignored').length;
const COUNTED = new Set(['Killed', 'Timeout', 'Survived', 'NoCoverage']);
const rows: { file: string; killed: number; total: number }[] = [];
const survivors: {
  file: string;
  line: number;
  column: number;
  mutator: string;
  status: string;
  replacement: string;
}[] = [];
for (const [file, { mutants }] of Object.entries(report.files).sort(([a], [b]) => a.localeCompare(b))) {
  const counted = mutants.filter((m) => COUNTED.has(m.status));
  rows.push({ file, killed: counted.filter((m) => KILLED.has(m.status)).length, total: counted.length });
  for (const m of counted.filter((m) => !KILLED.has(m.status))) {
    survivors.push({
      file,
      line: m.location.start.line,
      column: m.location.start.column,
      mutator: m.mutatorName,
      status: m.status,
      replacement: (m.replacement ?? '').replace(/\s+/g, ' ').slice(0, 100),
    });
  }
}
const killed = rows.reduce((n, r) => n + r.killed, 0);
const total = rows.reduce((n, r) => n + r.total, 0);
const score = total === 0 ? 0 : (100 * killed) / total;
const pct = (k: number, t: number) => (t === 0 ? '-' : `${((100 * k) / t).toFixed(1)} %`);

await writeFile(
  `${dir}/summary.json`,
  `${JSON.stringify({ commit, dirty, groups: measured, killed, total, ignoredStatic: ignored, score: Number(score.toFixed(2)), files: rows, survivors }, null, 2)}\n`,
);
const md = [
  '# Mutation report (StrykerJS), last run',
  '',
  `Measured on commit \`${commit}\`${dirty ? ' (with uncommitted changes in src/ or test/)' : ''}.`,
  `Groups (scripts/mutation-groups.mjs) and when each was run: ${measured.join(', ')}.`,
  `Killed (including timeouts) ${killed} of ${total} mutants: **${score.toFixed(1)} %**. ` +
    `Static mutants ignored (ignoreStatic): ${ignored}. ` +
    'Equivalent and explained survivors: see reports/mutation/SURVIVORS.md.',
  '',
  '| file | killed | mutants | score |',
  '|---|---:|---:|---:|',
  ...rows.map((r) => `| ${r.file} | ${r.killed} | ${r.total} | ${pct(r.killed, r.total)} |`),
  '',
  '## Survivors and uncovered mutants',
  '',
  '| file:line:col | mutator | status | replacement |',
  '|---|---|---|---|',
  ...survivors.map(
    (s) =>
      `| ${s.file}:${s.line}:${s.column} | ${s.mutator} | ${s.status} | \`${s.replacement.replace(/\|/g, '\\|').replace(/`/g, "'")}\` |`,
  ),
  '',
].join('\n');
await writeFile(`${dir}/summary.md`, md);
process.stdout.write(
  `mutation score ${score.toFixed(1)} % (${killed}/${total}); ${survivors.length} survivors\n`,
);
