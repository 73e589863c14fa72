/**
 * `npm run mutation`: one Stryker run per group of security-deciding modules (scripts/mutation-groups.mjs),
 * then the committed summary (scripts/mutation-summary.ts). `npm run mutation -- gate parsers` runs only
 * those groups; the summary covers every group whose last report is present.
 */
import { spawnSync } from 'node:child_process';
import { GROUPS } from './mutation-groups.mjs';

const names = process.argv.slice(2).length > 0 ? process.argv.slice(2) : Object.keys(GROUPS);
let failed = false;
for (const name of names) {
  process.stdout.write(`\n== mutation group ${name}\n`);
  const run = spawnSync('npx', ['stryker', 'run'], {
    stdio: 'inherit',
    env: { ...process.env, MUTATION_GROUP: name },
  });
  if (run.status !== 0) failed = true;
}
const summary = spawnSync('npx', ['tsx', 'scripts/mutation-summary.ts'], { stdio: 'inherit' });
process.exitCode = failed || summary.status !== 0 ? 1 : 0;
