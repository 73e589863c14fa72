/**
 * This repository's own pipeline: the standard stages delivering examples/hello-api (see gantry.yaml).
 *
 * @example dagger run tsx pipeline/main.ts          # the whole pipeline
 * @example tsx pipeline/main.ts plan                # what would run
 */
import { main, standardStages } from '../index.ts';

await main({ stages: standardStages() });
