/**
 * Immutable object chains: every engine object is `field(args)` applied to a parent object,
 * starting at `Query`. IDs encode the whole chain, so `node(id:)` / `loadXxxFromID` restore it.
 */

/** One link of an object chain; `args` hold only the arguments the query spelled out. */
export class Chain {
  constructor(
    /** GraphQL type this link yields. */
    readonly type: string,
    readonly parent: Chain | null,
    readonly field: string,
    /** ID arguments are stored decoded, as `Chain` values. */
    readonly args: Readonly<Record<string, unknown>> = {},
  ) {}
}

/** The `Query` root every chain starts from. */
export const ROOT = new Chain('Query', null, '');

/** One recorded call; ID arguments are expanded into the `Step[]` of the object they name. */
export interface Step {
  field: string;
  args: Record<string, unknown>;
}

/** The links of `chain` from `Query` down, root excluded. */
export function lineage(chain: Chain): Chain[] {
  const links: Chain[] = [];
  for (let link: Chain | null = chain; link?.parent; link = link.parent) links.unshift(link);
  return links;
}

/** The fully expanded call chain of `chain`, as `{ field, args }` from `Query` down. */
export function steps(chain: Chain): Step[] {
  return lineage(chain).map((link) => ({
    field: link.field,
    args: mapChains(link.args, steps) as Step['args'],
  }));
}

/** Every `Chain` nested in `value` (arguments that were IDs). */
export function chainsIn(value: unknown): Chain[] {
  if (value instanceof Chain) return [value];
  if (Array.isArray(value)) return value.flatMap(chainsIn);
  if (value && typeof value === 'object') return Object.values(value).flatMap(chainsIn);
  return [];
}

function mapChains(value: unknown, fn: (chain: Chain) => unknown): unknown {
  if (value instanceof Chain) return fn(value);
  if (Array.isArray(value)) return value.map((item) => mapChains(item, fn));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, mapChains(item, fn)]));
  }
  return value;
}

const PREFIX = 'gantry-test:';
type Wire = { t: string; f: string; a: Record<string, unknown> }[];

/** Opaque ID of `chain`: a prefix plus base64url JSON of its links (nested IDs inline). */
export function encodeId(chain: Chain): string {
  return PREFIX + Buffer.from(JSON.stringify(toWire(chain))).toString('base64url');
}

function toWire(chain: Chain): Wire {
  return lineage(chain).map((link) => ({
    t: link.type,
    f: link.field,
    a: mapChains(link.args, (nested) => ({ $id: toWire(nested) })) as Record<string, unknown>,
  }));
}

/** Restores the chain an ID was made from; throws as the engine does on a foreign or corrupt ID. */
export function decodeId(id: string): Chain {
  if (!id.startsWith(PREFIX)) throw new Error(`failed to decode ID ${JSON.stringify(id.slice(0, 40))}`);
  try {
    return fromWire(JSON.parse(Buffer.from(id.slice(PREFIX.length), 'base64url').toString('utf8')));
  } catch (cause) {
    throw new Error(`failed to decode ID ${JSON.stringify(id.slice(0, 40))}`, { cause });
  }
}

function fromWire(wire: Wire): Chain {
  const revive = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(revive);
    if (value && typeof value === 'object') {
      if ('$id' in value) return fromWire(value.$id as Wire);
      return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, revive(item)]));
    }
    return value;
  };
  return wire.reduce((parent, { t, f, a }) => new Chain(t, parent, f, revive(a) as Chain['args']), ROOT);
}
