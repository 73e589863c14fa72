import { type Document, isMap, isNode, isScalar, LineCounter, type Node, parseDocument, visit } from 'yaml';
import type { z } from 'zod';
import { InputError } from '../errors.ts';

/** Limit of alias expansions in one file: a handful of anchors is normal, an alias bomb is not. */
const MAX_ALIAS_COUNT = 100;

/** What a YAML file holds, for messages: "gantry config", "policy". */
export interface YamlFileOptions {
  /** Noun used in messages. @default 'file' */
  what?: string;
  /** One sentence on where to read the format, appended to every fix. */
  reference?: string;
  /** Prefix of the error codes: `<prefix>_EMPTY`, `<prefix>_SYNTAX`, `<prefix>_INVALID`. @default 'YAML' */
  codePrefix?: 'CONFIG' | 'POLICY' | 'YAML';
}

/** A problem in a YAML file, located by line and column. */
interface Located {
  line: number;
  col: number;
  path: string;
  message: string;
  fix: string;
}

/**
 * Parses YAML text and validates it with a zod schema. Every problem is reported at once, each with
 * `file:line:column`, the field path, what is allowed, and a fix; the error is an {@link InputError} (exit 2).
 */
export function parseYamlWith<S extends z.ZodType>(
  schema: S,
  text: string,
  file: string,
  options: YamlFileOptions = {},
): z.infer<S> {
  const { what = 'file', reference = '', codePrefix = 'YAML' } = options;
  const refHint = reference ? ` ${reference}` : '';
  if (text.trim() === '' || isOnlyComments(text)) {
    throw new InputError(`${codePrefix}_EMPTY`, `${file}: the ${what} is empty`, {
      hint: `write the ${what} (at least the required fields).${refHint}`,
    });
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, logLevel: 'error' });
  if (doc.errors.length > 0) {
    const lines = doc.errors.map((e) => {
      const pos = lineCounter.linePos(e.pos[0]);
      return `  ${file}:${pos.line}:${pos.col}: ${e.message.split('\n')[0]}`;
    });
    throw new InputError(`${codePrefix}_SYNTAX`, `${file} is not valid YAML:\n${lines.join('\n')}`, {
      hint: `fix the YAML syntax at the position shown (indentation, quotes, a missing colon).${refHint}`,
    });
  }
  const complexKey = firstComplexKey(doc);
  if (complexKey) {
    const pos = lineCounter.linePos(complexKey.range?.[0] ?? 0);
    throw new InputError(
      `${codePrefix}_SYNTAX`,
      `${file}:${pos.line}:${pos.col}: a mapping key must be a plain value`,
      {
        hint: `write keys as names (e.g. \`components:\`), not lists or mappings.${refHint}`,
      },
    );
  }
  let data: unknown;
  try {
    // yaml 2.x `ToJSOptions.maxAliasCount`: "Prevent exponential entity expansion attacks by limiting data
    // aliasing count" (it throws a ReferenceError past the limit); set explicitly so the limit is ours.
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (cause) {
    const why = cause instanceof Error ? cause.message : String(cause);
    throw new InputError(`${codePrefix}_SYNTAX`, `${file}: too many YAML alias expansions (${why})`, {
      cause,
      hint: `write the values out instead of nesting anchors and aliases (*name); at most ${MAX_ALIAS_COUNT} alias expansions are allowed.${refHint}`,
    });
  }
  const result = schema.safeParse(data);
  if (result.success) return result.data;
  const located = result.error.issues.map((issue) => locate(issue, doc.contents, lineCounter));
  const body = located
    .map((l) => `  ${file}:${l.line}:${l.col}: ${l.path || '(top level)'}: ${l.message}\n    fix: ${l.fix}`)
    .join('\n');
  const count = located.length === 1 ? 'a problem' : `${located.length} problems`;
  throw new InputError(`${codePrefix}_INVALID`, `${file}: the ${what} has ${count}:\n${body}`, {
    hint: `correct the fields listed above.${refHint}`,
  });
}

/** The first mapping key that is a list or a mapping (`? [a]: b`), which no Gantry file uses. */
function firstComplexKey(doc: Document): Node | undefined {
  let found: Node | undefined;
  visit(doc, {
    Pair(_, pair) {
      if (pair.key !== null && !isScalar(pair.key) && isNode(pair.key)) {
        found = pair.key;
        return visit.BREAK;
      }
      return undefined;
    },
  });
  return found;
}

function isOnlyComments(text: string): boolean {
  return text
    .split('\n')
    .every((line) => line.trim() === '' || line.trim().startsWith('#') || line.trim() === '---');
}

function locate(issue: z.core.$ZodIssue, root: unknown, lineCounter: LineCounter): Located {
  const path = issue.path.map((p) => (typeof p === 'number' ? p : String(p)));
  let node = nodeAt(root, path);
  let shownPath = formatPath(path);
  let message = issue.message;
  let fix = fixFor(issue);
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0] ?? '';
    node = keyNodeAt(node, key) ?? node;
    shownPath = formatPath([...path, key]);
    message = `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
    fix = 'remove it, or check its spelling against the schema (gantry schema prints it)';
  }
  const offset = (node as Node | undefined)?.range?.[0] ?? 0;
  const pos = lineCounter.linePos(offset);
  return { line: pos.line, col: pos.col, path: shownPath, message, fix };
}

/** Walks the YAML node tree along a zod path; returns the deepest node found. */
function nodeAt(root: unknown, path: (string | number)[]): unknown {
  let node = root;
  for (const key of path) {
    const next = (node as { get?: (k: unknown, keepScalar: boolean) => unknown })?.get?.(key, true);
    if (next === undefined || next === null) break;
    node = next;
  }
  return node;
}

function keyNodeAt(node: unknown, key: string): Node | undefined {
  if (!isMap(node)) return undefined;
  const pair = node.items.find((p) => isScalar(p.key) && p.key.value === key);
  return pair && isScalar(pair.key) ? pair.key : undefined;
}

function formatPath(path: (string | number)[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

function fixFor(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined
        ? `add this required field (expected ${issue.expected})`
        : `write a value of type ${issue.expected}`;
    case 'invalid_value':
      return `use one of: ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'invalid_union': {
      const options = issue.errors.flat().flatMap((e) => (e.code === 'invalid_value' ? e.values : []));
      return options.length > 0
        ? `use one of: ${options.map((v) => JSON.stringify(v)).join(', ')}, or the object form (gantry schema prints it)`
        : 'use one of the forms the schema allows (gantry schema prints it)';
    }
    case 'invalid_format':
      if (issue.message.startsWith('a secret must be'))
        return 'keep the value in an environment variable or a file and reference it, e.g. env://REGISTRY_PASSWORD';
      return issue.format === 'regex'
        ? 'change the value to the form described'
        : `write a valid ${issue.format}`;
    case 'too_small':
      return `give at least ${String(issue.minimum)}`;
    case 'too_big':
      return `give at most ${String(issue.maximum)}`;
    default:
      return 'change the value as described';
  }
}
