/**
 * A fast, copy-free conformance check compiled from a zod schema, for large scanner reports.
 *
 * `schema.safeParse` copies every object it validates; on a 100,000-finding report that doubles memory and
 * time. The compiled check only answers "would zod accept this?" for the simple schemas used by the
 * parsers (loose objects, strings, numbers, booleans, literals, arrays, optional, nullable, unknown).
 * Anything else, including refinements, compiles to "don't know" (`false`), so the caller falls back to
 * zod, which stays the single authority on shape and on error messages.
 */
import type { z } from 'zod';

type Check = (value: unknown) => boolean;

interface Def {
  type: string;
  shape?: Record<string, z.ZodType>;
  catchall?: z.ZodType;
  innerType?: z.ZodType;
  element?: z.ZodType;
  values?: readonly unknown[];
  checks?: readonly unknown[];
}

const defOf = (schema: z.ZodType) => (schema as unknown as { _zod: { def: Def } })._zod.def;
const never: Check = () => false;

/** Compiles a check that returns true only for values the schema accepts unchanged. */
export function compileCheck(schema: z.ZodType): Check {
  const def = defOf(schema);
  if (def.checks && def.checks.length > 0) return never;
  switch (def.type) {
    case 'string':
      return (v) => typeof v === 'string';
    case 'number':
      return (v) => typeof v === 'number' && Number.isFinite(v);
    case 'boolean':
      return (v) => typeof v === 'boolean';
    case 'unknown':
      return () => true;
    case 'literal': {
      const values = def.values ?? [];
      return (v) => values.includes(v);
    }
    case 'optional': {
      const inner = compileCheck(def.innerType as z.ZodType);
      return (v) => v === undefined || inner(v);
    }
    case 'nullable': {
      const inner = compileCheck(def.innerType as z.ZodType);
      return (v) => v === null || inner(v);
    }
    case 'array': {
      const item = compileCheck(def.element as z.ZodType);
      return (v) => Array.isArray(v) && v.every(item);
    }
    case 'object': {
      // Only loose objects (catchall unknown) pass unknown keys through unchanged.
      if (!def.catchall || defOf(def.catchall).type !== 'unknown') return never;
      const fields = Object.entries(def.shape ?? {}).map(([key, s]) => [key, compileCheck(s)] as const);
      return (v) => {
        if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
        const obj = v as Record<string, unknown>;
        for (const [key, check] of fields) if (!check(obj[key])) return false;
        return true;
      };
    }
    default:
      return never;
  }
}

/**
 * Validates `value` against `schema`: the compiled check first (no copies), then zod itself when the check
 * fails, so errors come from zod.
 */
export function fastParse<S extends z.ZodType>(
  schema: S,
  check: Check,
  value: unknown,
): { success: true; data: z.infer<S> } | { success: false; error: z.ZodError } {
  if (check(value)) return { success: true, data: value as z.infer<S> };
  const parsed = schema.safeParse(value);
  return parsed.success
    ? { success: true, data: parsed.data as z.infer<S> }
    : { success: false, error: parsed.error };
}
