import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { checkConventions } from '../../core/config/conventions.ts';
import { assertPreflight, preflight } from '../../core/config/preflight.ts';
import { ExitCode, InputError } from '../../core/errors.ts';
import { docReference, resolvePolicyFile } from '../../core/package-files.ts';
import { loadPolicy } from '../../core/security/policy.ts';
import { noPositionals, parseFlags } from './args.ts';
import type { Command } from './command.ts';
import { loadPipeline } from './pipeline.ts';

const usage = 'gantry validate [--config gantry.yaml]';

/**
 * `gantry validate`: checks gantry.yaml, the policy file it names, and the conventions the deploy relies on
 * (Dockerfile and lockfiles where the toolchain needs them, overlays and charts relative to the component,
 * the Deployment and the kustomize image named after the component, the smoke port), without an engine.
 */
export const validateCommand: Command = {
  name: 'validate',
  summary: 'check gantry.yaml, the policy files and the conventions the deploy relies on (no engine needed)',
  usage,
  async run(ctx) {
    const { values, positionals } = parseFlags('validate', ctx.args, { config: { type: 'string' } }, usage);
    noPositionals('validate', positionals, usage);
    const { config, pipeline, configFile } = await loadPipeline(ctx, values.config);
    const root = dirname(resolve(ctx.cwd, configFile));
    await loadPolicy(resolvePolicyFile(root, config.policy));
    // Paths, the registry/cluster combination and the env:// secrets of every stage (see preflight.ts).
    assertPreflight(preflight(config, { repoRoot: ctx.cwd, env: ctx.env }), configFile);
    const problems = checkConventions(config, (path) => {
      try {
        return readFileSync(join(root, path), 'utf8');
      } catch {
        return undefined;
      }
    });
    for (const p of problems.filter((p) => p.severity === 'warning'))
      ctx.stderr(`warning: ${p.where}: ${p.message}\n  fix: ${p.fix}\n`);
    const errors = problems.filter((p) => p.severity === 'error');
    if (errors.length > 0) {
      throw new InputError(
        'CONVENTION_BROKEN',
        `${configFile}: ${errors.length} convention(s) the deploy relies on do not hold:\n${errors.map((p) => `  - ${p.where}: ${p.message}\n    fix: ${p.fix}`).join('\n')}`,
        {
          hint: `the conventions are listed in ${docReference(root, 'docs/configuration.md')} ("Conventions")`,
        },
      );
    }
    const components = config.components.map((c) => c.name).join(', ');
    ctx.stdout(
      `✔ ${configFile} is valid: ${config.components.length} component(s) (${components}), policy ${config.policy}; ` +
        `pipeline of ${pipeline.graph.stages.length} stages in ${pipeline.graph.phases.length} phases (${pipeline.graph.phases.join(', ')})\n`,
    );
    return ExitCode.ok;
  },
};
