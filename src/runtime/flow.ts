import { resolve } from 'node:path';
import { assertPreflight, preflight } from '../core/config/preflight.ts';
import type { GantryConfig } from '../core/config/schema.ts';
import { parseDuration } from '../core/duration.ts';
import { type Selection, selectStages } from '../core/graph.ts';
import { newManifest, readManifest } from '../core/manifest/store.ts';
import { detectPlatform } from '../core/platform.ts';
import { logAdapter } from '../core/platforms/index.ts';
import { withEngine } from '../dagger/engine.ts';
import { runAnnotations } from './annotations.ts';
import { writeCiVariables } from './ci-variables.ts';
import { baseContext } from './context.ts';
import { manifestHandle } from './manifest-handle.ts';
import type { ResolvedPipeline } from './pipeline.ts';
import { renderSummary } from './render.ts';
import { createReporter } from './reporter.ts';
import { withRunLock } from './run-lock.ts';
import { runStages } from './run-stages.ts';
import { writeRunSummary, writeStoppedRunOutputs } from './summary.ts';
import type { RunOptions, RunSummary } from './types.ts';

/** Inputs of one pipeline run. */
export interface RunRequest {
  /** Repository root. */
  cwd: string;
  /** Validated gantry.yaml. */
  config: GantryConfig;
  /** The gantry.yaml path as given (`--config`), recorded in the provenance. @default 'gantry.yaml' */
  configFile?: string | undefined;
  /** The pipeline, resolved for this config. */
  pipeline: ResolvedPipeline;
  /** Run manifest, relative to cwd; read if present (later phases), then updated. */
  manifestFile: string;
  /** Which stages. */
  selection: Selection;
  /** Options stages read. */
  options: RunOptions;
  env: Readonly<Record<string, string | undefined>>;
  /** Progress output. */
  print: (line: string) => void;
  /** Cancels the run (SIGINT/SIGTERM). */
  signal?: AbortSignal;
}

/**
 * The whole flow of a run: selection → manifest → engine → stages → summary, holding the lock of the run's
 * `out/` folder. Returns the summary; its exit code is that of the first stage that did not pass.
 */
export async function runPipeline(request: RunRequest): Promise<RunSummary> {
  return withRunLock(resolve(request.cwd, request.manifestFile, '..'), () => runLocked(request));
}

async function runLocked(request: RunRequest): Promise<RunSummary> {
  const { cwd, env, print, config, pipeline } = request;
  const selected = selectStages(pipeline.graph, request.selection);
  // Before the engine: paths, the registry/cluster combination, the env:// secrets of the selected stages.
  assertPreflight(preflight(config, { repoRoot: cwd, stages: selected, env }));
  const manifestFile = resolve(cwd, request.manifestFile);
  const outDir = resolve(manifestFile, '..');
  const existing = await readManifest(manifestFile);
  const manifest = manifestHandle(manifestFile, existing ?? newManifest(detectPlatform(env)));
  await manifest.update(() => {});
  print(`gantry: ${selected.join(' → ')}${existing ? ` (continuing run ${existing.runId})` : ''}`);
  if (pipeline.unscanned)
    print('gantry: WARNING: this pipeline deploys without a scan stage (allowUnscanned: true)');
  const earlier = Object.fromEntries(
    Object.entries(manifest.get().stages).map(([name, r]) => [name, r.status]),
  );

  // Output per CI platform: a folded section per stage, heartbeats, annotations (src/core/platforms/).
  const reporter = createReporter(logAdapter(env), print);
  const runStartedAt = new Date(Date.now() - 1000);
  const summary = await withEngine(env, print, () =>
    runStages(
      pipeline.graph,
      selected,
      baseContext({
        config,
        repoRoot: cwd,
        configFile: request.configFile,
        outDir,
        manifest,
        env,
        options: request.options,
        log: (s, l) => reporter.log(s, l),
      }),
      {
        timeoutMs: parseDuration(config.stageTimeout),
        parseTimeout: parseDuration,
        signal: request.signal,
        earlier,
        onEvent: (event) => reporter.onEvent(event),
        record: (event, startedAt, output) =>
          event.kind === 'started'
            ? Promise.resolve()
            : manifest
                .update((m) => {
                  m.stages[event.stage] = {
                    status: event.kind,
                    startedAt: startedAt.toISOString(),
                    durationMs: 'durationMs' in event ? Math.round(event.durationMs) : 0,
                    message: event.kind === 'skipped' ? event.reason : event.message,
                  };
                  if (event.kind === 'passed' && output !== undefined) m.outputs[event.stage] = output;
                })
                .then(() => {}),
      },
    ),
  )
    .catch(async (error: unknown) => {
      await writeStoppedRunOutputs(outDir, manifest.get(), error); // out/ is written on every failure
      throw error;
    })
    .finally(() => reporter.close());
  reporter.annotate(await runAnnotations(summary, resolve(outDir, 'reports'), runStartedAt));
  const phases = new Map(pipeline.graph.stages.map((s) => [s.name, s.phase]));
  await writeRunSummary(
    resolve(outDir, 'summary.md'),
    manifest.get(),
    summary,
    (stage) => phases.get(stage) ?? 'other',
  );
  await writeCiVariables(resolve(outDir, 'gantry.env'), manifest.get());
  print(renderSummary(summary));
  return summary;
}
