#!/usr/bin/env node
// The `gantry` command. An installed package runs its compiled JavaScript; a source checkout runs the
// TypeScript entry point through tsx (a dependency), so `npx gantry` works in both.
import { existsSync } from 'node:fs';

const compiled = new URL('../dist/pipeline/main.js', import.meta.url);
if (existsSync(compiled)) {
  await import(compiled.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(new URL('../pipeline/main.ts', import.meta.url).href);
}
