import { resolve } from 'node:path';
import { loadConfig } from '../../core/config/load.ts';
import type { GantryConfig } from '../../core/config/schema.ts';
import { type ResolvedPipeline, resolvePipeline } from '../../runtime/pipeline.ts';
import type { CommandContext } from './command.ts';

/** Loads gantry.yaml and resolves the command's pipeline definition with it (exit 2 on either problem). */
export async function loadPipeline(
  ctx: CommandContext,
  configFile: string | undefined,
): Promise<{ config: GantryConfig; pipeline: ResolvedPipeline; configFile: string }> {
  const file = configFile ?? ctx.definition.config ?? 'gantry.yaml';
  const config = await loadConfig(resolve(ctx.cwd, file), ctx.cwd);
  return { config, pipeline: resolvePipeline(ctx.definition, config), configFile: file };
}
