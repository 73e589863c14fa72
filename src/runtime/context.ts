import { join } from 'node:path';
import type { Container, Directory } from '@dagger.io/dagger';
import type { Component, GantryConfig } from '../core/config/schema.ts';
import { InputError, StageError } from '../core/errors.ts';
import { componentDeps } from '../dagger/deps.ts';
import { checkout } from '../dagger/source.ts';
import type { StageDefinition } from './define.ts';
import type { BaseContext } from './run-stages.ts';
import type { ManifestHandle, RunOptions } from './types.ts';

/** Inputs of {@link baseContext}. */
export interface BaseContextInput {
  config: GantryConfig;
  repoRoot: string;
  /** gantry.yaml as given to the run, relative to the repository root. */
  configFile?: string | undefined;
  outDir: string;
  manifest: ManifestHandle;
  env: Readonly<Record<string, string | undefined>>;
  options: RunOptions;
  log: (stage: string, line: string) => void;
}

/**
 * What every stage shares. `source()` and `installed()` are lazy and memoised, so stages share one Dagger
 * directory and one dependency container per component (the engine's cache does the rest). The manifest
 * a stage gets refuses changes to stage outputs: only the runner records a stage's own output.
 */
export function baseContext(input: BaseContextInput): BaseContext {
  const { config, repoRoot } = input;
  const sources = new Map<string, Directory>();
  const installed = new Map<string, Promise<Container>>();
  const component = (name: string): Component => {
    const found = config.components.find((c) => c.name === name);
    if (!found) {
      throw new InputError('UNKNOWN_COMPONENT', `no component named "${name}" in gantry.yaml`, {
        hint: `use one of: ${config.components.map((c) => c.name).join(', ')}`,
      });
    }
    return found;
  };
  function outputOf<O>(stage: StageDefinition<string, O>): O;
  function outputOf(name: string): unknown;
  function outputOf(stage: string | StageDefinition): unknown {
    const name = typeof stage === 'string' ? stage : stage.name;
    const outputs = input.manifest.get().outputs;
    if (!Object.hasOwn(outputs, name)) {
      throw new InputError('OUTPUT_MISSING', `stage ${name} has recorded no output in this run`, {
        hint: `run ${name} first (gantry run --from ${name}), and pass the run manifest on to later jobs`,
      });
    }
    const value = outputs[name];
    if (typeof stage === 'string' || !stage.output) return value;
    const parsed = stage.output.safeParse(value);
    if (!parsed.success) {
      throw new InputError(
        'OUTPUT_INVALID',
        `the output of ${name} in the run manifest does not match its schema`,
        {
          hint: 'use the manifest written by the earlier job unchanged, or run the stage again',
        },
      );
    }
    return parsed.data;
  }
  return {
    config,
    repoRoot,
    configFile: input.configFile,
    outDir: input.outDir,
    env: input.env,
    options: input.options,
    log: input.log,
    manifest: guardOutputs(input.manifest),
    source(name?: string) {
      const path = name === undefined ? '.' : component(name).path;
      let dir = sources.get(path);
      if (!dir) {
        dir = checkout(join(repoRoot, path));
        sources.set(path, dir);
      }
      return dir;
    },
    installed(name: string) {
      let ctr = installed.get(name);
      if (!ctr) {
        ctr = componentDeps(repoRoot, component(name)).then((d) => d.container);
        installed.set(name, ctr);
      }
      return ctr;
    },
    outputOf,
  };
}

/** A manifest handle whose updates may not touch `outputs` (a stage cannot overwrite another's output). */
function guardOutputs(handle: ManifestHandle): ManifestHandle {
  return {
    get: () => handle.get(),
    update: (change) =>
      handle.update((draft) => {
        const before = JSON.stringify(draft.outputs);
        change(draft);
        if (JSON.stringify(draft.outputs) !== before) {
          throw new StageError(
            'OUTPUT_OVERWRITE',
            'a stage tried to change stage outputs in the run manifest',
            {
              hint: "return your stage's output from run() instead; another stage's output cannot be changed",
            },
          );
        }
      }),
  };
}
