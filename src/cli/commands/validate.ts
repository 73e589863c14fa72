import { assertPreflight, preflight } from '../../core/config/preflight.ts';
import { ExitCode } from '../../core/errors.ts';
import { resolvePolicyFile } from '../../core/package-files.ts';
import { loadPolicy } from '../../core/security/policy.ts';
import { noPositionals, parseFlags } from './args.ts';
import type { Command } from './command.ts';
import { loadPipeline } from './pipeline.ts';

const usage = 'gantry validate [--config gantry.yaml]';

/** `gantry validate`: checks gantry.yaml and the policy file it names, without an engine. */
export const validateCommand: Command = {
  name: 'validate',
  summary: 'check gantry.yaml and the policy files (no engine needed)',
  usage,
  async run(ctx) {
    const { values, positionals } = parseFlags('validate', ctx.args, { config: { type: 'string' } }, usage);
    noPositionals('validate', positionals, usage);
    const { config, pipeline, configFile } = await loadPipeline(ctx, values.config);
    await loadPolicy(resolvePolicyFile(ctx.cwd, config.policy));
    // Paths, the registry/cluster combination and the env:// secrets of every stage (see preflight.ts).
    assertPreflight(preflight(config, { repoRoot: ctx.cwd, env: ctx.env }), configFile);
    const components = config.components.map((c) => c.name).join(', ');
    ctx.stdout(
      `✔ ${configFile} is valid: ${config.components.length} component(s) (${components}), policy ${config.policy}; ` +
        `pipeline of ${pipeline.graph.stages.length} stages in ${pipeline.graph.phases.length} phases (${pipeline.graph.phases.join(', ')})\n`,
    );
    return ExitCode.ok;
  },
};
