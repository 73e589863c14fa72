import { DEFAULT_CONFIG_FILE } from '../../core/config/load.ts';
import type { ExitCode } from '../../core/errors.ts';
import { DEFAULT_MANIFEST_FILE } from '../../core/manifest/store.ts';
import { parseFlags, selectionFlags, splitList } from './args.ts';
import type { Command } from './command.ts';

const usage =
  'gantry run [--phase verify|release|approve|promote] [--only S,…] [--from S] [--until S] ' +
  '[--config gantry.yaml] [--manifest out/manifest.json] [--approve <manifest-hash>] [--yes]';

/** `gantry run`: runs the selected stages against a Dagger engine. */
export const runCommand: Command = {
  name: 'run',
  summary: 'run the pipeline, or the stages selected (needs a Dagger engine)',
  usage,
  async run(ctx) {
    const { values } = parseFlags(
      'run',
      ctx.args,
      {
        ...selectionFlags,
        config: { type: 'string', default: DEFAULT_CONFIG_FILE },
        manifest: { type: 'string', default: DEFAULT_MANIFEST_FILE },
        approve: { type: 'string' },
        yes: { type: 'boolean', default: false },
      },
      usage,
    );
    // Loaded here, not at the top: the Dagger SDK and the steps take seconds to import, which every other
    // command (plan, validate, gate, schema) would otherwise pay at start-up.
    const [{ runPipeline }, { stageRegistry }] = await Promise.all([
      import('../../runtime/flow.ts'),
      import('../../stages/standard.ts'),
    ]);
    const summary = await runPipeline({
      cwd: ctx.cwd,
      configFile: values.config as string,
      manifestFile: values.manifest as string,
      selection: {
        phase: values.phase,
        only: splitList(values.only),
        from: values.from,
        until: values.until,
      },
      options: { approve: values.approve, yes: values.yes, isTTY: ctx.isTTY },
      stages: stageRegistry,
      env: ctx.env,
      print: (line) => ctx.stderr(`${line}\n`),
      signal: ctx.signal,
    });
    return summary.exitCode as ExitCode;
  },
};
