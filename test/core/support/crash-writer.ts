/**
 * Child process for the atomic-write tests: writes the manifest in argv[3] over argv[2] with
 * `writeManifest`, and kills itself with SIGKILL (no `finally`, no cleanup: a crash, an OOM kill, a
 * cancelled CI job) at the point named by argv[4]:
 * - `mid-write`: after half of the content has reached the disk;
 * - `before-rename`: after the whole content was written, when the rename is about to happen.
 */
import * as fs from 'node:fs/promises';
import { readFile } from 'node:fs/promises';
import type { AtomicWriteFs } from '../../../src/core/atomic-write.ts';
import { writeManifest } from '../../../src/core/manifest/store.ts';

const [target, nextFile, point] = process.argv.slice(2);
if (!target || !nextFile || (point !== 'mid-write' && point !== 'before-rename')) {
  process.stderr.write('usage: crash-writer <target> <next-manifest.json> mid-write|before-rename\n');
  process.exit(2);
}
const crash = (): never => {
  process.kill(process.pid, 'SIGKILL');
  throw new Error('unreachable');
};

const crashing: AtomicWriteFs = {
  mkdir: fs.mkdir,
  chmod: fs.chmod,
  rm: fs.rm,
  writeFile: (async (path: string, data: string, options: Parameters<typeof fs.writeFile>[2]) => {
    if (point !== 'mid-write') return fs.writeFile(path, data, options);
    await fs.writeFile(path, data.slice(0, Math.floor(data.length / 2)), options);
    crash();
  }) as typeof fs.writeFile,
  rename: (async (from: string, to: string) => {
    if (point === 'before-rename') crash();
    return fs.rename(from, to);
  }) as typeof fs.rename,
};

await writeManifest(target, JSON.parse(await readFile(nextFile, 'utf8')), { fs: crashing });
