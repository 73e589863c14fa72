/** The CI shape of this repository's own pipeline, as `gantry ci` computes it. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type CiShape, ciShape } from '../../../src/cli/ci/shape.ts';
import { parseConfig } from '../../../src/core/config/load.ts';
import { standardPipeline } from '../../support/pipeline.ts';
import { repoRoot } from './repo.ts';

/** This repository's shape (the standard stages over gantry.yaml at the root). */
export async function currentShape(): Promise<CiShape> {
  const file = join(repoRoot, 'gantry.yaml');
  return ciShape(standardPipeline(file), parseConfig(readFileSync(file, 'utf8'), file));
}
