// This repository's pipeline: Gantry's standard stages, driven by gantry.yaml.
// Run it: `dagger run npx tsx pipeline/main.ts` (everything), or `npx tsx pipeline/main.ts plan`.
// Add stages of your own with defineStage (import it from 'gantry') and list them after the standard ones.
import { main, standardStages } from 'gantry';

await main({ stages: [...standardStages()] });
