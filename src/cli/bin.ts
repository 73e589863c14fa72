/**
 * The `gantry` command: runs the repository's own pipeline (`pipeline/main.ts`, which calls `main()`), or the
 * standard stages when the repository has none.
 *
 * @example npx gantry plan --format mermaid
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const own = resolve(process.cwd(), 'pipeline/main.ts');
if (existsSync(own)) {
  await import(pathToFileURL(own).href);
} else {
  const [{ main }, { standardStages }] = await Promise.all([
    import('./main.ts'),
    import('../stages/standard.ts'),
  ]);
  await main({ stages: standardStages() });
}
