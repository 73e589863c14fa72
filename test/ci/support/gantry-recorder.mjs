#!/usr/bin/env node
// Stand-in for `gantry` inside gitlab-ci-local jobs until `gantry run` can run end to end against the
// wire-test engine. It records what the job passed and saw (argv, the manifest it received, the approval
// environment), runs the REAL `gantry plan --format json` for the same selection, and writes the manifest
// the next job must receive. Usage: GANTRY="node gantry-recorder.mjs" with GANTRY_RECORDER_LOG and
// GANTRY_REPO set.
import { execFileSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const argv = process.argv.slice(2);
const repo = process.env.GANTRY_REPO;
const log = process.env.GANTRY_RECORDER_LOG;
if (!repo || !log) throw new Error('GANTRY_REPO and GANTRY_RECORDER_LOG must be set');

const gantry = (args) =>
  execFileSync(
    process.execPath,
    [join(repo, 'node_modules/tsx/dist/cli.mjs'), join(repo, 'pipeline/main.ts'), ...args],
    {
      encoding: 'utf8',
    },
  );

const manifestFile = 'out/manifest.json';
const received = existsSync(manifestFile) ? JSON.parse(readFileSync(manifestFile, 'utf8')) : null;
const isRun = argv[0] === 'run';
const plan = JSON.parse(gantry(['plan', '--format', 'json', ...(isRun ? argv.slice(1) : [])]));

const manifest = received ? structuredClone(received) : { stages: [], approvals: [] };
manifest.stages.push(...plan.order);
if (argv.includes('approve')) {
  manifest.approvals.push({
    by: process.env.GITLAB_USER_LOGIN ?? null,
    pipeline: process.env.CI_PIPELINE_URL ?? null,
    job: process.env.CI_JOB_URL ?? null,
  });
}
mkdirSync('out/junit', { recursive: true });
writeFileSync(manifestFile, JSON.stringify(manifest));
writeFileSync('out/gantry.env', `GANTRY_MANIFEST_HASH=${manifest.stages.length}\n`);
writeFileSync('out/junit/recorder.xml', '<testsuites tests="0"/>\n');

appendFileSync(
  log,
  `${JSON.stringify({
    job: process.env.CI_JOB_NAME,
    argv,
    received,
    planned: plan.order,
    approver: process.env.GITLAB_USER_LOGIN ?? null,
    dotenvHash: process.env.GANTRY_MANIFEST_HASH ?? null,
  })}\n`,
);
