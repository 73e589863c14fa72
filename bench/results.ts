/** Renders the benchmark figures as the lines printed and as bench/RESULTS.md. */
import { type GateThroughput, JQ_FILTER } from './gate-throughput.ts';
import type { ParallelRun } from './parallel.ts';
import { MUST_BE_FRESH, PER_RUN_BY_DESIGN, type Rerun } from './rerun.ts';
import type { RoundTrips } from './round-trips.ts';
import type { StartUp } from './startup.ts';
import { ms, ratio } from './stats.ts';

/** Everything one `npm run bench` measured. */
export interface BenchResults {
  date: string;
  machine: { cpus: number; node: string; platform: string; load: string };
  command: string;
  runs: number;
  roundTrips: RoundTrips;
  parallel: ParallelRun & { execDelayMs: number; samples: number[] };
  /** The same with several components, where concurrency matters. */
  parallelMulti: ParallelRun & { execDelayMs: number; samples: number[] };
  startUp: StartUp;
  gate: GateThroughput;
  /** Second run of an unchanged repository against the same engine; `load` is the load average when it ran. */
  rerun: Rerun & { load: string; at: string };
}

/** The headline figures, one line each: what `npm run bench` prints and the README quotes. */
export function headline(r: BenchResults): string[] {
  const { roundTrips: t, parallel: p, parallelMulti: m, startUp: s, gate: g } = r;
  const jqVs = (x: { ms: number; peakRssMb: number }) =>
    'skipped' in g.jq
      ? `jq baseline skipped: ${g.jq.skipped}`
      : `${ratio(x.ms, g.jq.ms)} jq's time, ${ratio(x.peakRssMb, g.jq.peakRssMb)} its peak memory`;
  const jqLine = 'skipped' in g.jq ? 'jq skipped' : `jq ${ms(g.jq.ms)}, ${g.jq.peakRssMb} MB`;
  const commands = g.commands
    .map((c) => `\`${c.command}\` ${ms(c.ms)}, ${c.peakRssMb} MB (${jqVs(c)})`)
    .join('; ');
  return [
    `engine round trips: ${t.requests} requests = ${ratio(t.requests, t.floor)} the floor of ${t.floor} (one per exec whose result is needed: ${t.execs} execs + ${t.publishes} publish); ${t.idLookups} of the requests are ID lookups (${t.repeatedIdLookups} repeated), ${t.values} value reads`,
    `parallel efficiency, ${m.components} components (${m.execDelayMs} ms per exec): wall ${ms(m.wallMs)} = ${ratio(m.wallMs, m.sequentialMs)} the sequential job (${ms(m.sequentialMs)}), ${ratio(m.wallMs, m.criticalPathMs)} the critical path (${ms(m.criticalPathMs)})`,
    `parallel efficiency, 1 component: wall ${ms(p.wallMs)} = ${ratio(p.wallMs, p.sequentialMs)} the sequential job (${ms(p.sequentialMs)}), ${ratio(p.wallMs, p.criticalPathMs)} the critical path (${ms(p.criticalPathMs)})`,
    `start-up: \`tsx pipeline/main.ts plan\` ${ms(s.plan)} = ${ratio(s.plan, s.node)} node -e 0 (${ms(s.node)}), ${ratio(s.plan, s.tsxEmpty)} tsx on an empty file (${ms(s.tsxEmpty)}); \`tsx pipeline/main.ts validate\` ${ms(s.validate)} = ${ratio(s.validate, s.node)} / ${ratio(s.validate, s.tsxEmpty)}`,
    `gate, ${g.gate.findings.toLocaleString('en')} findings, whole processes (median time, median peak RSS): ${commands}; ${jqLine}`,
    rerunLine(r.rerun),
    `gate in-process (second line): read + parse + gate in a warm process ${ms(g.gate.ms)}, peak ${g.gate.peakRssMb} MB (${g.gate.baselineRssMb} MB of it the runtime before reading)`,
  ];
}

/** The second-run figure in one line. */
export function rerunLine(x: Rerun): string {
  const kinds = Object.entries(x.rerunByKind)
    .map(([kind, n]) => `${kind} ${n}`)
    .join(', ');
  return `second run of an unchanged repository: ${x.secondRun} of ${x.firstRun} execs ran again = ${ratio(x.secondRun, x.firstRun)} the first run (${kinds}); deps and test answered from cache`;
}

/** The second-run section of bench/RESULTS.md. */
export function rerunMarkdown(x: Rerun & { load: string; at: string }): string {
  const kinds = [
    ...new Set([...Object.keys(x.firstByKind), ...Object.keys(x.rerunByKind)]),
  ] as (keyof Rerun['firstByKind'])[];
  const why = (kind: string) =>
    (MUST_BE_FRESH as string[]).includes(kind)
      ? 'must be fresh (issue 12 item 3)'
      : (PER_RUN_BY_DESIGN as string[]).includes(kind)
        ? 'new key per run (signing mode `generated`)'
        : 'must stay cached';
  return `## Second run of an unchanged repository

Two full \`gantry run\`s (two run manifests, so two run ids) against ONE wire-test engine, which like Dagger's
cache runs an exec once per distinct chain (bench/rerun.ts). The execs it runs during the second run are what a
real engine would run again. Measured at ${x.at}, load average then ${x.load}. The image build is a \`dockerBuild\`, not an
exec, so it is not counted here (its definition does not change between the runs).

| kind | execs, first run | ran again, second run | why |
|---|---|---|---|
${kinds.map((k) => row([k, x.firstByKind[k] ?? 0, x.rerunByKind[k] ?? 0, why(k)])).join('\n')}
${row(['**total**', x.firstRun, x.secondRun, ratio(x.secondRun, x.firstRun)])}
`;
}

const row = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`;

/** bench/RESULTS.md. */
export function renderMarkdown(r: BenchResults): string {
  const { roundTrips: t, parallel: p, parallelMulti: m, startUp: s, gate: g } = r;
  const stages = Object.entries(p.stageMs).map(([stage, value]) => row([stage, ms(value)]));
  const leaves = Object.entries(t.byLeaf)
    .sort((a, b) => b[1] - a[1])
    .map(([leaf, n]) => row([`\`${leaf}\``, n]));
  const jqRow =
    'skipped' in g.jq
      ? row(['`jq` filter by severity', `skipped: ${g.jq.skipped}`, '', '', ''])
      : row(['`jq` filter by severity', ms(g.jq.ms), `${g.jq.peakRssMb} MB`, '1.00× (baseline)', '1.00×']);
  return `# Benchmark results

Generated by \`${r.command}\` (bench/run.ts) on ${r.date} — ${r.machine.cpus} CPUs, Node ${r.machine.node},
${r.machine.platform}, load average at start ${r.machine.load}. Every figure is a ratio against a baseline
measured in the same run; times are medians (${r.runs} runs unless stated). Regenerate with \`npm run bench\`.

## Headline

${headline(r)
  .map((line) => `- ${line}`)
  .join('\n')}

## Engine round trips

The full nine-stage pipeline (\`gantry run --yes\` on this repository's gantry.yaml) against the wire-test engine
with the happy-path scenario (test/support/scenarios.ts). **Floor**, defined from what each stage must learn
from the engine and not from what the code reads: one request per exec whose result the pipeline needs (its exit
code, output and files can be selected together in one GraphQL query on the same container), plus one per
published image (its digest). Every exec of the run decides something (a stage's verdict, a report, a
key, a digest), so the floor is the distinct execs (${t.execs}) plus the publishes (${t.publishes}). A scanner run read
three times (exit code, stderr, report) costs 1 at the floor; the ID lookups the SDK (0.21.9) sends before
passing an object as an argument are all above it.

| | requests | ratio |
|---|---|---|
${row(['floor (execs whose result is needed + publishes)', t.floor, '1.00×'])}
${row(['value reads sent (every leaf but `id`)', t.values, ratio(t.values, t.floor)])}
${row(['distinct values read (the earlier floor: reads the code chose to make)', t.distinctValues, ratio(t.distinctValues, t.floor)])}
${row(['all requests (values + ID lookups)', t.requests, ratio(t.requests, t.floor)])}
${row(['ID lookups', t.idLookups, `${t.repeatedIdLookups} repeat an ID already fetched`])}
${row(['syncs', t.syncs, `${t.redundantSyncs} followed by a read of the same container: ${t.redundantSyncCommands.map((c) => `\`${c}\``).join(', ') || 'none'}`])}

| leaf | requests |
|---|---|
${leaves.join('\n')}

## Parallel efficiency

Every exec takes ${p.execDelayMs} ms in the wire-test engine (${p.execs} execs in the full run). **Per-stage latency**:
the stage's duration when the nine stages run one after another (\`gantry run --only S\` for each stage, in
order, against one engine that, like Dagger's cache, runs an identical exec once). **Critical path**: the
longest path through \`NEEDS\` (pipeline/graph.ts) over those latencies:
${p.criticalPath.join(' → ')}. **Sequential**: the sum of the nine commands' wall times (a plain sequential CI job).

| | wall time | full run / this |
|---|---|---|
${row(['full pipeline (`gantry run`)', ms(p.wallMs), '1.00×'])}
${row(['critical path of the stage graph (floor)', ms(p.criticalPathMs), ratio(p.wallMs, p.criticalPathMs)])}
${row(['stages one after another', ms(p.sequentialMs), ratio(p.wallMs, p.sequentialMs)])}

Full-run wall times of the ${p.samples.length} samples: ${p.samples.map((x) => ms(x)).join(', ')}.

**${m.components} components** (this repository's gantry.yaml with the example component under ${m.components} names, so that
building, scanning, signing and deploying each component can overlap; ${m.execs} execs in the full run), against the
same stages run as a plain sequential job:

| | wall time | full run / this |
|---|---|---|
${row([`full pipeline, ${m.components} components`, ms(m.wallMs), '1.00×'])}
${row(['the sequential job (`--only S` per stage, in order)', ms(m.sequentialMs), ratio(m.wallMs, m.sequentialMs)])}
${row(['critical path of the stage graph', ms(m.criticalPathMs), ratio(m.wallMs, m.criticalPathMs)])}

Full-run wall times of the ${m.samples.length} samples: ${m.samples.map((x) => ms(x)).join(', ')}.

| stage | latency (sequential run) |
|---|---|
${stages.join('\n')}

## Start-up

Fresh processes, spawned ${r.runs} times each after one warm-up, median wall time.

| command | wall time | vs \`node -e 0\` | vs tsx empty file |
|---|---|---|---|
${row(['`node -e 0`', ms(s.node), '1.00×', ''])}
${row(['`tsx empty.ts`', ms(s.tsxEmpty), ratio(s.tsxEmpty, s.node), '1.00×'])}
${row(['`tsx pipeline/main.ts plan`', ms(s.plan), ratio(s.plan, s.node), ratio(s.plan, s.tsxEmpty)])}
${row(['`tsx pipeline/main.ts validate`', ms(s.validate), ratio(s.validate, s.node), ratio(s.validate, s.tsxEmpty)])}

## Gate throughput

A generated Trivy report of ${g.gate.findings.toLocaleString('en')} findings (bench/gate.ts), written by the parent.
**Headline: whole processes, the same statistic for each**: \`gantry gate --trivy FILE --policy policies/default.yaml\`
from source (\`tsx pipeline/main.ts gate\`) and compiled (\`node bin/gantry.js gate\` over \`dist/\`, built with
\`tsc -p tsconfig.build.json\` in a temporary copy, as an installed package runs it), and \`jq '${JQ_FILTER}'\`
counting the CRITICAL and HIGH vulnerabilities of the same report: wall time of the process and peak RSS from
\`/usr/bin/time -f %M\`, median of ${r.runs} runs each. Second line: read + parse + gate inside a warm process
(bench/gate-child.ts), median time over the runs in one process, median peak of fresh processes.

| | time | peak memory | time vs jq | memory vs jq |
|---|---|---|---|---|
${g.commands.map((c) => row([`\`${c.command}\` (exit ${c.exitCode})`, ms(c.ms), `${c.peakRssMb} MB`, 'skipped' in g.jq ? 'n/a' : ratio(c.ms, g.jq.ms), 'skipped' in g.jq ? 'n/a' : ratio(c.peakRssMb, g.jq.peakRssMb)])).join('\n')}
${jqRow}
${row(['in-process `benchGate()` read + parse + gate (second line)', ms(g.gate.ms), `${g.gate.peakRssMb} MB`, 'skipped' in g.jq ? 'n/a' : ratio(g.gate.ms, g.jq.ms), 'skipped' in g.jq ? 'n/a' : ratio(g.gate.peakRssMb, g.jq.peakRssMb)])}

${rerunMarkdown(r.rerun)}
## What the figures say

- **Round trips**: ${t.requests} requests for a floor of ${t.floor}. The value reads alone (${t.values}) are
  ${ratio(t.values, t.floor)} the floor: several reads of one exec's result (exit code, stderr, a report file) could be one
  query. The rest is ID lookups: the SDK sends \`{ x { id } }\` before passing an object as an argument and does
  not cache the answer (${t.repeatedIdLookups} of ${t.idLookups} lookups repeat an ID already fetched).
- **Parallel efficiency**: with one component the graph allows little overlap (only test and scan run side by
  side), so the full run is ${ratio(p.wallMs, p.sequentialMs)} the sequential job. With ${m.components} components each stage's per-component
  work runs concurrently: ${ratio(m.wallMs, m.sequentialMs)} the sequential job.
- **Start-up**: \`plan\` and \`validate\` load no Dagger SDK (run loads it on demand), so they cost little more than
  tsx itself; tsx's own start-up is most of the rest.
- **Gate**: the command as users run it is a whole process: runtime start-up (tsx transpiling from source, or
  plain node over the compiled package), reading the policy, then the whole parsed report and its normalised
  findings held at once; a streaming parse would lower the memory at some cost in time.
- **Second run**: only the execs that must answer for this run (scans, \`cosign verify\`, k3s and the deploys),
  plus signing with the per-run generated key, ran again; deps and test were answered from cache.
- The machine (2 cores) was shared with other agents' work while this ran (load average above, far above 2):
  absolute times are inflated and noisy; the ratios are measured in the same run, so they are more stable.
`;
}
