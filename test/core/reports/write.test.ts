import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeReportFile } from '../../../src/core/reports/write.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gantry-write-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('writeReportFile', () => {
  it('creates the directory and writes text, leaving no temporary file', async () => {
    const file = join(dir, 'out/reports/junit.xml');
    await writeReportFile(file, '<testsuites/>\n');
    expect(await readFile(file, 'utf8')).toBe('<testsuites/>\n');
    expect(await readdir(join(dir, 'out/reports'))).toEqual(['junit.xml']);
  });

  it('writes objects as indented JSON and replaces an existing file whole', async () => {
    const file = join(dir, 'report.json');
    await writeReportFile(file, { a: [1, 2, 3], b: 'x'.repeat(10_000) });
    await writeReportFile(file, { a: 1 });
    expect(await readFile(file, 'utf8')).toBe('{\n  "a": 1\n}\n');
  });

  it('fails without leaving a temporary file when the target is a directory', async () => {
    await expect(writeReportFile(dir, 'x')).rejects.toThrow();
    const leftovers = (await readdir(join(dir, '..'))).filter(
      (n) => n.endsWith('.tmp') && n.includes('gantry-write'),
    );
    expect(leftovers).toEqual([]);
  });
});
