/**
 * Duplicate-key detection for JSON text. `JSON.parse` keeps the last of two equal keys, so
 * `"Results":[vuln],"Results":[]` would read as a clean report; RFC 8259 §4 leaves such objects'
 * behaviour unpredictable, so the gate refuses them.
 *
 * A careful check rather than a second parser: it runs only on text that `JSON.parse` has already accepted,
 * so it needs to recognise just strings (with escapes), object and array brackets, and the `:` after a
 * key. Keys are compared after unescaping (`"\u0052esults"` is `"Results"`), per object.
 */

/** The first key that occurs twice in one object, and its line; `undefined` when there is none. */
export function findDuplicateKey(text: string): { key: string; line: number } | undefined {
  // One entry per open bracket: the keys seen so far for an object, null for an array.
  const stack: (Set<string> | null)[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      const end = stringEnd(text, i);
      const top = stack.at(-1);
      if (top) {
        let k = end + 1;
        while (isSpace(text.charCodeAt(k))) k++;
        if (text.charCodeAt(k) === COLON) {
          const raw = text.slice(i, end + 1);
          const key = raw.includes('\\') ? (JSON.parse(raw) as string) : raw.slice(1, -1);
          if (top.has(key)) return { key, line: lineAt(text, i) };
          top.add(key);
        }
      }
      i = end + 1;
      continue;
    }
    if (c === OPEN_OBJECT) stack.push(new Set());
    else if (c === OPEN_ARRAY) stack.push(null);
    else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) stack.pop();
    i++;
  }
  return undefined;
}

const QUOTE = 0x22;
const COLON = 0x3a;
const BACKSLASH = 0x5c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;

/** Index of the quote that closes the string opening at `start` (a quote preceded by an even run of `\`). */
function stringEnd(text: string, start: number): number {
  let from = start + 1;
  for (;;) {
    const q = text.indexOf('"', from);
    if (q < 0) return text.length;
    let backslashes = 0;
    for (let b = q - 1; text.charCodeAt(b) === BACKSLASH; b--) backslashes++;
    if (backslashes % 2 === 0) return q;
    from = q + 1;
  }
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}
