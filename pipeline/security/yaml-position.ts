/**
 * Positions of YAML nodes, so that a validation error can say file:line:column of the offending value.
 */
import { type Document, isNode, type LineCounter } from 'yaml';

/** A 1-based line and column. */
export interface Position {
  readonly line: number;
  readonly col: number;
}

/**
 * Position of the node at `path` in `doc`; when that node does not exist (a missing key), the position of the
 * deepest ancestor that does, so the message still points at the right mapping.
 */
export function positionOf(doc: Document, lineCounter: LineCounter, path: readonly PropertyKey[]): Position {
  const keys = path.map((key) => (typeof key === 'number' ? key : String(key)));
  for (let depth = keys.length; depth >= 0; depth--) {
    const node = depth === 0 ? doc.contents : doc.getIn(keys.slice(0, depth), true);
    if (isNode(node) && node.range) return lineCounter.linePos(node.range[0]);
  }
  return { line: 1, col: 1 };
}
