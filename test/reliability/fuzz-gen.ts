/** Seeded generators of mutated YAML documents, for the config fuzz test. */
import { parse, stringify } from 'yaml';

/** A seeded PRNG (mulberry32): the same seed gives the same cases, so a failure reproduces. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rand = () => number;
const pick = <T>(r: Rand, list: readonly T[]): T => list[Math.floor(r() * list.length)] as T;

const SCALARS: readonly unknown[] = [
  null,
  true,
  false,
  0,
  -1,
  1.5,
  65536,
  Number.POSITIVE_INFINITY,
  '',
  ' ',
  'x',
  'CRITICAL',
  'env://X',
  'plaintext-secret',
  '30m',
  '0s',
  '1h',
  '2999-12-31',
  '2000-13-45',
  'kubernetes',
  'helm',
  'gitops',
  'https://example.com',
  '../../etc/passwd',
  '~',
  '*',
  '{}',
  '[]',
  'a'.repeat(300),
  '\u0000',
  'ü',
  '__proto__',
  'constructor',
];
const KEYS = [
  'version',
  'name',
  'components',
  'registry',
  'environments',
  'signing',
  'policy',
  'stageTimeout',
  'toolchain',
  'path',
  'image',
  'staging',
  'production',
  'driver',
  'mode',
  'key',
  'waivers',
  'block',
  'vulnerabilities',
  'sast',
  'id',
  'expires',
  'reason',
  '__proto__',
  'constructor',
  'prototype',
  '',
];
const FRAGMENTS = [
  ':',
  ': ',
  '- ',
  '\n',
  '  ',
  '\t',
  '{',
  '}',
  '[',
  ']',
  ',',
  '#',
  '&a',
  '*a',
  '<<: *a',
  '!!binary',
  '!tag',
  '"',
  "'",
  '|',
  '>',
  '---',
  '...',
  '? ',
  '%YAML 1.2',
  '\\',
  '\u00a0',
  '\ufeff',
  'null',
  '~',
];

function randomValue(r: Rand, depth = 0): unknown {
  const roll = r();
  if (depth > 2 || roll < 0.6) return pick(r, SCALARS);
  if (roll < 0.8) return Array.from({ length: Math.floor(r() * 3) }, () => randomValue(r, depth + 1));
  return Object.fromEntries(
    Array.from({ length: Math.floor(r() * 3) }, () => [pick(r, KEYS), randomValue(r, depth + 1)]),
  );
}

/** Changes one random node of a parsed document: replace, delete or add a key, or wrap in a list. */
function mutateTree(r: Rand, node: unknown, depth = 0): unknown {
  if (node === null || typeof node !== 'object' || depth > 6 || r() < 0.25) {
    return r() < 0.8 ? randomValue(r) : [node];
  }
  if (Array.isArray(node)) {
    const copy = [...node];
    if (copy.length === 0 || r() < 0.2) copy.push(randomValue(r));
    else {
      const i = Math.floor(r() * copy.length);
      if (r() < 0.2) copy.splice(i, 1);
      else copy[i] = mutateTree(r, copy[i], depth + 1);
    }
    return copy;
  }
  const copy: Record<string, unknown> = { ...(node as Record<string, unknown>) };
  const keys = Object.keys(copy);
  const roll = r();
  if (keys.length === 0 || roll < 0.15) copy[pick(r, KEYS)] = randomValue(r);
  else {
    const key = pick(r, keys);
    if (roll < 0.3) delete copy[key];
    else copy[key] = mutateTree(r, copy[key], depth + 1);
  }
  return copy;
}

/** Damages the text: deletes, inserts, duplicates, swaps, re-indents or truncates. */
function mutateText(r: Rand, text: string): string {
  const at = Math.floor(r() * (text.length + 1));
  const lines = text.split('\n');
  const line = Math.floor(r() * lines.length);
  switch (Math.floor(r() * 7)) {
    case 0:
      return text.slice(0, at) + text.slice(at + 1 + Math.floor(r() * 20));
    case 1:
      return text.slice(0, at) + pick(r, FRAGMENTS) + text.slice(at);
    case 2:
      lines.splice(line, 0, lines[line] ?? '');
      return lines.join('\n');
    case 3: {
      const other = Math.floor(r() * lines.length);
      [lines[line], lines[other]] = [lines[other] ?? '', lines[line] ?? ''];
      return lines.join('\n');
    }
    case 4:
      lines[line] = (r() < 0.5 ? ' ' : '') + (lines[line] ?? '').replace(/^ {1,2}/, '');
      return lines.join('\n');
    case 5:
      return text.slice(0, at);
    default:
      return text.replace(/: [^\n]*/, `: ${JSON.stringify(randomValue(r))}`);
  }
}

/** `count` documents derived from `seeds`: a third re-serialised tree mutations, the rest text damage. */
export function* mutations(seeds: readonly string[], count: number, seed: number): Generator<string> {
  const r = rng(seed);
  for (let i = 0; i < count; i++) {
    const base = pick(r, seeds);
    if (r() < 0.35) {
      let tree: unknown = parse(base);
      for (let n = 1 + Math.floor(r() * 3); n > 0; n--) tree = mutateTree(r, tree);
      yield stringify(tree);
    } else {
      let text = base;
      for (let n = 1 + Math.floor(r() * 3); n > 0; n--) text = mutateText(r, text);
      yield text;
    }
  }
}
