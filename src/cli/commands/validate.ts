import { resolve } from 'node:path';
import { DEFAULT_CONFIG_FILE, loadConfig } from '../../core/config/load.ts';
import { ExitCode } from '../../core/errors.ts';
import { resolvePolicyFile } from '../../core/package-files.ts';
import { loadPolicy } from '../../core/security/policy.ts';
import { parseFlags } from './args.ts';
import type { Command } from './command.ts';

const usage = 'gantry validate [--config gantry.yaml]';

/** `gantry validate`: checks gantry.yaml and the policy file it names, without an engine. */
export const validateCommand: Command = {
  name: 'validate',
  summary: 'check gantry.yaml and the policy files (no engine needed)',
  usage,
  async run(ctx) {
    const { values } = parseFlags(
      'validate',
      ctx.args,
      { config: { type: 'string', default: DEFAULT_CONFIG_FILE } },
      usage,
    );
    const file = resolve(ctx.cwd, values.config as string);
    const config = await loadConfig(file);
    await loadPolicy(resolvePolicyFile(ctx.cwd, config.policy));
    const components = config.components.map((c) => c.name).join(', ');
    ctx.stdout(
      `✔ ${values.config} is valid: ${config.components.length} component(s) (${components}), policy ${config.policy}\n`,
    );
    return ExitCode.ok;
  },
};
