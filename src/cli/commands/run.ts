import type { ExitCode } from '../../core/errors.ts';
import { DEFAULT_MANIFEST_FILE } from '../../core/manifest/store.ts';
import { noPositionals, parseFlags, selectionFlags, selectionOf } from './args.ts';
import type { Command } from './command.ts';
import { loadPipeline } from './pipeline.ts';

const usage =
  'gantry run [--phase P] [--only S,…] [--from S] [--until S] [--always-only|--skip-always] ' +
  '[--config gantry.yaml] [--manifest out/manifest.json] [--approve <manifest-hash>] [--yes] [--no-publish]';

/** `gantry run` (also: no command at all): runs the selected stages against a Dagger engine. */
export const runCommand: Command = {
  name: 'run',
  summary: 'run the pipeline, or the stages selected (needs a Dagger engine); the default command',
  usage,
  async run(ctx) {
    const { values, positionals } = parseFlags(
      'run',
      ctx.args,
      {
        ...selectionFlags,
        config: { type: 'string' },
        manifest: { type: 'string', default: DEFAULT_MANIFEST_FILE },
        approve: { type: 'string' },
        yes: { type: 'boolean', default: false },
        'no-publish': { type: 'boolean', default: false },
      },
      usage,
    );
    noPositionals('run', positionals, usage);
    const selection = selectionOf(values);
    const { config, pipeline } = await loadPipeline(ctx, values.config);
    // Loaded here, not at the top: the Dagger SDK takes seconds to import, which every other command
    // (plan, validate, gate, schema) would otherwise pay at start-up.
    const { runPipeline } = await import('../../runtime/flow.ts');
    const summary = await runPipeline({
      cwd: ctx.cwd,
      config,
      configFile: values.config as string | undefined,
      pipeline,
      manifestFile: values.manifest as string,
      selection,
      options: {
        approve: values.approve,
        yes: values.yes,
        isTTY: ctx.isTTY,
        noPublish: values['no-publish'],
      },
      env: ctx.env,
      print: (line) => ctx.stderr(`${line}\n`),
      signal: ctx.signal,
    });
    return summary.exitCode as ExitCode;
  },
};
