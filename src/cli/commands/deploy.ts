import { resolve } from 'node:path';
import { DEFAULT_CONFIG_FILE } from '../../core/config/load.ts';
import { ExitCode, InputError } from '../../core/errors.ts';
import { DEFAULT_MANIFEST_FILE } from '../../core/manifest/store.ts';
import { parseFlags } from './args.ts';
import type { Command } from './command.ts';

const usage =
  'gantry deploy <environment> --release <run id | sha256:… | repository@sha256:…> ' +
  '[--config gantry.yaml] [--manifest out/manifest.json] [--out out/redeploy.json]';

/**
 * `gantry deploy <env> --release <…>`: redeploys an earlier release (a rollback the user asks for). The
 * digests must carry a signed approval for that environment and a valid signature, verified again in the
 * registry by the deploy stage itself; anything else is refused (exit 4). The deployment is recorded in a
 * manifest of its own (`--out`), so the current run's manifest is left alone.
 */
export const deployCommand: Command = {
  name: 'deploy',
  summary: 'redeploy an earlier approved release to an environment (needs a Dagger engine)',
  usage,
  async run(ctx) {
    const { values, positionals } = parseFlags(
      'deploy',
      ctx.args,
      {
        release: { type: 'string' },
        config: { type: 'string', default: DEFAULT_CONFIG_FILE },
        manifest: { type: 'string', default: DEFAULT_MANIFEST_FILE },
        out: { type: 'string', default: 'out/redeploy.json' },
      },
      usage,
    );
    const [environment, ...stray] = positionals;
    if (!environment || stray.length > 0 || !values.release) {
      throw new InputError('BAD_ARGUMENTS', 'gantry deploy needs one environment and --release', {
        hint: `usage: ${usage}; a new release goes through gantry run (--phase promote)`,
      });
    }
    const { redeploy } = await import('../../stages/redeploy.ts');
    const passed = await redeploy({
      cwd: ctx.cwd,
      configFile: resolve(ctx.cwd, values.config as string),
      manifestFile: resolve(ctx.cwd, values.manifest as string),
      outFile: resolve(ctx.cwd, values.out as string),
      environment,
      release: values.release,
      env: ctx.env,
      isTTY: ctx.isTTY,
      print: (line) => ctx.stderr(`${line}\n`),
      signal: ctx.signal,
    });
    return passed ? ExitCode.ok : ExitCode.stageFailed;
  },
};
