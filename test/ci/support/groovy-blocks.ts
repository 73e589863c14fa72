/**
 * A small structured reader for declarative Jenkinsfiles: it turns `name(args) { … }` into a tree of
 * blocks and everything else into statements, skipping comments and string contents. Enough to check the
 * shape of a declarative pipeline and to find its `sh` steps; not a Groovy parser.
 */

/** One `name { … }` or `name(args) { … }` block. */
export interface GroovyBlock {
  readonly name: string;
  /** The raw text between the parentheses, if any (e.g. `'verify'` for `stage('verify')`). */
  readonly args: string;
  /** 1-based line of the block's name. */
  readonly line: number;
  readonly blocks: GroovyBlock[];
  readonly statements: GroovyStatement[];
}

/** A statement that is not a block, e.g. `sh 'npm ci'` or `branch 'main'`. */
export interface GroovyStatement {
  /** The leading identifier (`sh`, `junit`, `message`…). */
  readonly name: string;
  /** The whole statement text, trimmed. */
  readonly text: string;
  readonly line: number;
}

/** Parses source into a root block named `<root>`. Throws on unbalanced braces or unterminated strings. */
export function parseGroovyBlocks(source: string): GroovyBlock {
  const masked = maskCommentsAndStrings(source);
  const root: GroovyBlock = { name: '<root>', args: '', line: 1, blocks: [], statements: [] };
  const stack: GroovyBlock[] = [root];
  let i = 0;
  let stmtStart = -1;
  let depth = 0; // ( and [ nesting inside a statement
  const lineAt = (pos: number) => source.slice(0, pos).split('\n').length;
  const flush = (end: number) => {
    if (stmtStart < 0) return;
    const text = source.slice(stmtStart, end).trim();
    const name = /^[A-Za-z_$][\w$]*/.exec(masked.slice(stmtStart, end).trim())?.[0] ?? '';
    if (text) current().statements.push({ name, text, line: lineAt(stmtStart) });
    stmtStart = -1;
  };
  const current = () => stack[stack.length - 1] as GroovyBlock;
  while (i < masked.length) {
    const c = masked[i] as string;
    if (c === '(' || c === '[') depth++;
    else if (c === ')' || c === ']') depth--;
    if (c === '{' && depth === 0) {
      const head = masked.slice(stmtStart < 0 ? i : stmtStart, i).trim();
      const m = /^([A-Za-z_$][\w$]*)\s*(?:\(([\s\S]*)\))?$/.exec(head);
      if (!m) throw new Error(`line ${lineAt(i)}: a block must start with name or name(args), got "${head}"`);
      const argsStart = head.indexOf('(');
      const start = stmtStart < 0 ? i : stmtStart;
      const rawHead = source.slice(start, i).trim();
      const block: GroovyBlock = {
        name: m[1] as string,
        args: argsStart < 0 ? '' : rawHead.slice(argsStart + 1, rawHead.lastIndexOf(')')).trim(),
        line: lineAt(start + (source.slice(start, i).length - source.slice(start, i).trimStart().length)),
        blocks: [],
        statements: [],
      };
      current().blocks.push(block);
      stack.push(block);
      stmtStart = -1;
    } else if (c === '}' && depth === 0) {
      flush(i);
      if (stack.length === 1) throw new Error(`line ${lineAt(i)}: unbalanced "}"`);
      stack.pop();
    } else if ((c === '\n' || c === ';') && depth === 0) {
      flush(i);
    } else if (stmtStart < 0 && !/\s/.test(c)) {
      stmtStart = i;
    }
    i++;
  }
  flush(masked.length);
  if (stack.length !== 1) throw new Error(`unclosed block "${current().name}" from line ${current().line}`);
  return root;
}

/** Replaces comments with spaces and string contents with `_`, keeping offsets and newlines. */
function maskCommentsAndStrings(source: string): string {
  const out = source.split('');
  let i = 0;
  const blank = (from: number, to: number, fill: string) => {
    for (let k = from; k < to; k++) if (out[k] !== '\n') out[k] = fill;
  };
  while (i < source.length) {
    if (source.startsWith('//', i)) {
      const end = source.indexOf('\n', i);
      const stop = end < 0 ? source.length : end;
      blank(i, stop, ' ');
      i = stop;
    } else if (source.startsWith('/*', i)) {
      const end = source.indexOf('*/', i + 2);
      if (end < 0) throw new Error('unterminated /* comment');
      blank(i, end + 2, ' ');
      i = end + 2;
    } else if (source.startsWith("'''", i) || source.startsWith('"""', i)) {
      const quote = source.slice(i, i + 3);
      const end = source.indexOf(quote, i + 3);
      if (end < 0) throw new Error(`unterminated ${quote} string`);
      blank(i + 3, end, '_');
      i = end + 3;
    } else if (source[i] === "'" || source[i] === '"') {
      const quote = source[i];
      let j = i + 1;
      while (j < source.length && source[j] !== quote) {
        if (source[j] === '\\') j++;
        if (source[j] === '\n') throw new Error(`unterminated ${quote} string`);
        j++;
      }
      if (j >= source.length) throw new Error(`unterminated ${quote} string`);
      blank(i + 1, j, '_');
      i = j + 1;
    } else {
      i++;
    }
  }
  return out.join('');
}
