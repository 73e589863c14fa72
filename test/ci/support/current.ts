/** The CI shape of this repository's own pipeline, as `gantry ci` computes it. */
import { join } from 'node:path';
import { currentCiShape } from '../../../src/cli/ci/current-shape.ts';
import type { CiShape } from '../../../src/cli/ci/shape.ts';
import { loadConfig } from '../../../src/core/config/load.ts';
import { repoRoot } from './repo.ts';

/** This repository's shape (gantry.yaml at the root). */
export async function currentShape(): Promise<CiShape> {
  return currentCiShape(await loadConfig(join(repoRoot, 'gantry.yaml')));
}
