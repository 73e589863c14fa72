/**
 * Positions of YAML nodes, so that a validation error can say file:line:column of the offending value.
 */
import { type Document, isMap, isNode, type LineCounter } from 'yaml';

/** A 1-based line and column. */
export interface Position {
  readonly line: number;
  readonly col: number;
}

/**
 * Position of the node at `path` in `doc`; when that node does not exist (a missing key), the position of the
 * deepest ancestor that does, so the message still points at the right mapping. With `key`, the position of
 * the last key itself (for unknown keys) rather than of its value.
 */
export function positionOf(
  doc: Document,
  lineCounter: LineCounter,
  path: readonly PropertyKey[],
  options: { key?: boolean } = {},
): Position {
  const keys = path.map((key) => (typeof key === 'number' ? key : String(key)));
  if (options.key && keys.length > 0) {
    const parent = keys.length === 1 ? doc.contents : doc.getIn(keys.slice(0, -1), true);
    const last = String(keys.at(-1));
    const pair = isMap(parent)
      ? parent.items.find((p) => isNode(p.key) && String(p.key.toJSON()) === last)
      : undefined;
    if (pair && isNode(pair.key) && pair.key.range) return lineCounter.linePos(pair.key.range[0]);
  }
  for (let depth = keys.length; depth >= 0; depth--) {
    const node = depth === 0 ? doc.contents : doc.getIn(keys.slice(0, depth), true);
    if (isNode(node) && node.range) return lineCounter.linePos(node.range[0]);
  }
  return { line: 1, col: 1 };
}
