#!/usr/bin/env node
// The `gantry` command. An installed package runs its compiled JavaScript; a source checkout runs the
// TypeScript entry point through tsx (a dependency), so `npx gantry` works in both.
import { existsSync } from 'node:fs';

const compiled = new URL('../dist/src/cli/bin.js', import.meta.url);
if (existsSync(compiled)) {
  await import(compiled.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(new URL('../src/cli/bin.ts', import.meta.url).href);
}
