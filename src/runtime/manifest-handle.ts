import type { RunManifest } from '../core/manifest/schema.ts';
import { contentHash, writeManifest } from '../core/manifest/store.ts';
import type { ManifestHandle } from './types.ts';

/**
 * A manifest held in memory and persisted to `file` after every update. Updates are applied one after
 * another (a promise chain), so stages running at the same time never overwrite each other's changes.
 */
export function manifestHandle(
  file: string,
  initial: RunManifest,
  now: () => Date = () => new Date(),
): ManifestHandle {
  let current = structuredClone(initial);
  let queue: Promise<unknown> = Promise.resolve();
  return {
    get: () => current,
    update(change) {
      const next = queue.then(async () => {
        const draft = structuredClone(current);
        change(draft);
        draft.updatedAt = now().toISOString();
        draft.contentHash = contentHash(draft);
        await writeManifest(file, draft);
        current = draft;
        return current;
      });
      queue = next.catch(() => {});
      return next;
    },
  };
}
