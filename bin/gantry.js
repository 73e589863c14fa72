#!/usr/bin/env node
// The `gantry` command: runs the repository's pipeline/main.ts (TypeScript, through tsx, a dependency), or the
// standard stages when it has none. An installed package runs its compiled entry; a source checkout its source.
import { existsSync } from 'node:fs';

const { register } = await import('tsx/esm/api');
register();
const compiled = new URL('../dist/src/cli/bin.js', import.meta.url);
await import(existsSync(compiled) ? compiled.href : new URL('../src/cli/bin.ts', import.meta.url).href);
