/**
 * The manifest store's refusals word for word, and which write errors become MANIFEST_UNWRITABLE: found
 * unguarded by the mutation run (reports/mutation/). A later phase trusts what it reads here, so each way a
 * manifest can be wrong (older or newer format, edited image record, edited covered field) has its own code,
 * message and fix.
 */
import * as fs from 'node:fs/promises';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AtomicWriteFs } from '../../../src/core/atomic-write.ts';
import {
  assertUnchanged,
  contentHash,
  parseManifest,
  readManifest,
  writeManifest,
} from '../../../src/core/manifest/store.ts';
import { digest, manifest } from '../support/manifests.ts';
import { refusal } from '../support/refusal.ts';

const RERUN =
  'use the manifest artifact of the earlier job unchanged, or delete it and run from the first stage';

describe('parseManifest', () => {
  it('an older format: finish the run with the Gantry that started it', () => {
    expect(refusal(() => parseManifest({ version: 1 }, 'out/manifest.json'))).toMatchObject({
      code: 'MANIFEST_VERSION',
      exitCode: 2,
      message: 'run manifest out/manifest.json has format version 1; this Gantry reads version 2',
      hint: 'finish that run with the Gantry version that started it, or start a new run from the first stage (delete out/manifest.json)',
    });
  });

  it('a newer format: upgrade Gantry', () => {
    expect(refusal(() => parseManifest({ version: 3 }, 'm.json'))).toMatchObject({
      code: 'MANIFEST_VERSION',
      message: 'run manifest m.json has format version 3; this Gantry reads version 2',
      hint: 'upgrade Gantry to the version that wrote m.json, or start a new run from the first stage (delete m.json)',
    });
  });

  it('a version that is not a number, or no object at all, is invalid, not another format', () => {
    expect(refusal(() => parseManifest({ version: '1' }, 'm.json')).code).toBe('MANIFEST_INVALID');
    expect(refusal(() => parseManifest(null, 'm.json'))).toMatchObject({
      code: 'MANIFEST_INVALID',
      exitCode: 2,
    });
  });

  it('an image record whose parts disagree, and nothing else: changed outside Gantry (exit 4), every part named', () => {
    const m = manifest('1');
    const image = { repository: 'reg/other', digest: digest('2'), ref: `reg/api@${digest('1')}` };
    const error = refusal(() => parseManifest({ ...m, components: { api: { image } } }, 'm.json'));
    expect(error).toMatchObject({ code: 'MANIFEST_CHANGED', exitCode: 4, hint: RERUN });
    expect(error.message.split('\n')).toEqual([
      'run manifest m.json was changed outside Gantry:',
      expect.stringMatching(
        /^ {2}components\.api\.image\.repository: repository reg\/other disagrees with ref/,
      ),
      expect.stringMatching(/^ {2}components\.api\.image\.digest: digest sha256:2+ disagrees with ref/),
    ]);
  });

  it('a disagreeing record beside another problem is invalid (exit 2), each problem on its line', () => {
    const m = manifest('1');
    const image = { repository: 'reg/other', digest: digest('1'), ref: `reg/api@${digest('1')}` };
    const error = refusal(() => parseManifest({ ...m, runId: 7, components: { api: { image } } }, 'm.json'));
    expect(error).toMatchObject({
      code: 'MANIFEST_INVALID',
      exitCode: 2,
      hint: 'use the manifest written by the earlier job unchanged, or delete it and run from the first stage',
    });
    expect(error.message.split('\n')).toEqual([
      'run manifest m.json is not valid:',
      expect.stringMatching(/^ {2}runId: /),
      expect.stringMatching(/^ {2}components\.api\.image\.repository: .* disagrees with ref/),
    ]);
  });
});

describe('assertUnchanged', () => {
  it('names both hashes, shortened, and the fix when a covered field was edited', () => {
    const m = manifest('1');
    m.contentHash = contentHash(manifest('2'));
    const error = refusal(() => assertUnchanged(m, 'm.json'));
    expect(error).toMatchObject({
      code: 'MANIFEST_CHANGED',
      exitCode: 4,
      message:
        `run manifest m.json was changed outside Gantry: its content hash (over the commit, image digests and ` +
        `generated public key) is ${contentHash(m).slice(0, 19)}…, the hash stored when it was written is ` +
        `${contentHash(manifest('2')).slice(0, 19)}…`,
      hint: RERUN,
    });
  });

  it('says "none" when the stored hash was removed', () => {
    const m = manifest('1');
    delete m.contentHash;
    expect(refusal(() => assertUnchanged(m, 'm.json')).message).toMatch(
      /the hash stored when it was written is none$/,
    );
  });

  it('accepts the manifest as written', () => {
    const m = manifest('1');
    m.contentHash = contentHash(m);
    expect(() => assertUnchanged(m, 'm.json')).not.toThrow();
  });
});

describe('readManifest', () => {
  it('reads back, as text, what writeManifest wrote', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gantry-store-'));
    const file = join(dir, 'manifest.json');
    await writeManifest(file, manifest('1'));
    const text = await fs.readFile(file, 'utf8');
    expect(text.endsWith('}\n')).toBe(true);
    expect(text.split('\n')[1]).toBe('  "version": 2,');
    expect((await readManifest(file))?.components.api?.image?.ref).toBe(`reg/api@${digest('1')}`);
  });

  it('refuses a manifest whose stored hash was removed', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gantry-store-'));
    const file = join(dir, 'manifest.json');
    await writeFile(file, JSON.stringify(manifest('1')));
    await expect(readManifest(file)).rejects.toMatchObject({ code: 'MANIFEST_CHANGED', exitCode: 4 });
  });
});

describe('writeManifest: which errors are the folder’s fault', () => {
  const failing = (code: string | undefined): AtomicWriteFs => ({
    ...fs,
    mkdir: (async () => {
      throw Object.assign(new Error(`${code ?? 'no code'}: failed`), code ? { code } : {});
    }) as typeof fs.mkdir,
  });

  it.each(['EACCES', 'EPERM', 'EROFS', 'ENOTDIR', 'ENOSPC'])(
    '%s is MANIFEST_UNWRITABLE (exit 2) with the fix',
    async (code) => {
      await expect(
        writeManifest('/x/manifest.json', manifest('1'), { fs: failing(code) }),
      ).rejects.toMatchObject({
        code: 'MANIFEST_UNWRITABLE',
        exitCode: 2,
        message: `cannot write the run manifest /x/manifest.json (${code})`,
        hint: 'make its folder writable by this user, or pass --manifest <path> in a writable folder',
        cause: expect.objectContaining({ code }),
      });
    },
  );

  it.each([['EXDEV'], [undefined]])(
    '%s is not hidden behind a folder message: the error itself is thrown',
    async (code) => {
      await expect(writeManifest('/x/manifest.json', manifest('1'), { fs: failing(code) })).rejects.toThrow(
        `${code ?? 'no code'}: failed`,
      );
    },
  );
});
