import { createHash, randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { type AtomicWriteOptions, writeFileAtomic } from '../atomic-write.ts';
import { ApprovalError, InputError } from '../errors.ts';
import { MANIFEST_VERSION, type RunManifest, RunManifest as RunManifestSchema } from './schema.ts';

/** Default location of the run manifest, relative to the repository root. */
export const DEFAULT_MANIFEST_FILE = 'out/manifest.json';

/** A new, empty manifest for a run. */
export function newManifest(platform: RunManifest['platform'], now = new Date()): RunManifest {
  const at = now.toISOString();
  return RunManifestSchema.parse({
    version: MANIFEST_VERSION,
    runId: randomUUID(),
    createdAt: at,
    updatedAt: at,
    platform,
  });
}

/**
 * The hash an approval binds to: SHA-256 over the commit, every component's image digest (in a canonical
 * order) and, for a key pair generated for the run, its public key — the manifest is the only place that key
 * lives, so swapping it after approval must void the approval too. It changes when any of them changes, and
 * only then.
 */
export function contentHash(manifest: RunManifest): string {
  const images = Object.entries(manifest.components)
    .flatMap(([name, c]) => (c.image ? [[name, c.image.ref]] : []))
    .sort(([a], [b]) => String(a).localeCompare(String(b)));
  const canonical = JSON.stringify({
    commit: manifest.source?.commit ?? null,
    images,
    ...(manifest.signingPublicKey ? { signingPublicKey: manifest.signingPublicKey } : {}),
  });
  return `sha256:${createHash('sha256').update(canonical).digest('hex')}`;
}

/** Validates manifest data. A manifest that fails validation is an {@link InputError} (exit 2), never ignored. */
export function parseManifest(data: unknown, file: string): RunManifest {
  const version = (data as { version?: unknown } | null)?.version;
  if (typeof version === 'number' && version !== MANIFEST_VERSION) {
    throw new InputError(
      'MANIFEST_VERSION',
      `run manifest ${file} has format version ${version}; this Gantry reads version ${MANIFEST_VERSION}`,
      {
        hint:
          version < MANIFEST_VERSION
            ? `finish that run with the Gantry version that started it, or start a new run from the first stage (delete ${file})`
            : `upgrade Gantry to the version that wrote ${file}, or start a new run from the first stage (delete ${file})`,
      },
    );
  }
  const result = RunManifestSchema.safeParse(data);
  if (result.success) return result.data;
  const lines = result.error.issues.map((i) => `  ${i.path.join('.') || '(top level)'}: ${i.message}`);
  // Gantry never writes an image record whose parts disagree: such a record was edited outside Gantry.
  if (result.error.issues.every((i) => i.message.includes('disagrees with ref'))) {
    throw new ApprovalError(
      'MANIFEST_CHANGED',
      `run manifest ${file} was changed outside Gantry:\n${lines.join('\n')}`,
      {
        hint: 'use the manifest artifact of the earlier job unchanged, or delete it and run from the first stage',
      },
    );
  }
  throw new InputError('MANIFEST_INVALID', `run manifest ${file} is not valid:\n${lines.join('\n')}`, {
    hint: 'use the manifest written by the earlier job unchanged, or delete it and run from the first stage',
  });
}

/** Reads a run manifest; `undefined` when the file does not exist. Unreadable or invalid: {@link InputError}. */
export async function readManifest(file: string): Promise<RunManifest | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new InputError('MANIFEST_UNREADABLE', `cannot read run manifest ${file}`, {
      cause,
      hint: 'check permissions',
    });
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (cause) {
    throw new InputError('MANIFEST_INVALID', `run manifest ${file} is not valid JSON (truncated?)`, {
      cause,
      hint: 'download the manifest artifact again, or delete it and run from the first stage',
    });
  }
  const manifest = parseManifest(data, file);
  assertUnchanged(manifest, file);
  return manifest;
}

/**
 * Refuses (exit 4, `MANIFEST_CHANGED`) a manifest whose covered fields (see {@link contentHash}) were edited
 * after Gantry wrote it: its stored hash is missing or differs from the one recomputed. Every manifest
 * Gantry writes carries the hash ({@link writeManifest}), so a later phase reading it detects the edit
 * before any stage runs.
 */
export function assertUnchanged(manifest: RunManifest, file: string): void {
  const hash = contentHash(manifest);
  if (manifest.contentHash === hash) return;
  const stored = manifest.contentHash === undefined ? 'none' : `${manifest.contentHash.slice(0, 19)}…`;
  throw new ApprovalError(
    'MANIFEST_CHANGED',
    `run manifest ${file} was changed outside Gantry: its content hash (over the commit, image digests and ` +
      `generated public key) is ${hash.slice(0, 19)}…, the hash stored when it was written is ${stored}`,
    {
      hint: 'use the manifest artifact of the earlier job unchanged, or delete it and run from the first stage',
    },
  );
}

/**
 * Writes a manifest atomically: validated, its content hash set, then written to a temporary file and
 * renamed over the target. A folder that cannot be written is an {@link InputError} (exit 2) naming it.
 */
export async function writeManifest(
  file: string,
  manifest: RunManifest,
  options: AtomicWriteOptions = {},
): Promise<void> {
  const valid = parseManifest({ ...manifest, contentHash: contentHash(manifest) }, file);
  try {
    await writeFileAtomic(file, `${JSON.stringify(valid, null, 2)}\n`, options);
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    if (!code || !['EACCES', 'EPERM', 'EROFS', 'ENOTDIR', 'ENOSPC'].includes(code)) throw cause;
    throw new InputError('MANIFEST_UNWRITABLE', `cannot write the run manifest ${file} (${code})`, {
      cause,
      hint: 'make its folder writable by this user, or pass --manifest <path> in a writable folder',
    });
  }
}
