import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  buildSchema,
  extendSchema,
  type GraphQLSchema,
  getNamedType,
  isInterfaceType,
  isNonNullType,
  isObjectType,
  parse,
} from 'graphql';

/** The real Dagger engine SDL, read from the sibling `shared/` checkout (never copied into the project). */
export const SCHEMA_PATH = fileURLToPath(
  new URL('../../../../shared/dagger/schema-v0.21.8.graphqls', import.meta.url),
);

let cached: GraphQLSchema | undefined;

/**
 * The engine schema as the 0.21.9 client sees it: the published SDL plus one
 * `loadXxxFromID(id: ID!): Xxx!` field on `Query` per object (and interface, as the
 * client also has `loadSyncerFromID`) type with an `id` field (shared/dagger/SOURCES.md). In 0.21.8 every `id` is typed `ID!` (not `XxxID!`), so
 * the rule keys on the field, not on the scalar's name. Built once per worker.
 */
export function engineSchema(): GraphQLSchema {
  if (cached) return cached;
  const base = buildSchema(readFileSync(SCHEMA_PATH, 'utf8'));
  const loaders = Object.values(base.getTypeMap())
    .filter((type) => !type.name.startsWith('__') && !['Query', 'Node'].includes(type.name))
    .filter((type) => {
      const id = isObjectType(type) || isInterfaceType(type) ? type.getFields().id : undefined;
      return id !== undefined && isNonNullType(id.type) && getNamedType(id.type).name === 'ID';
    })
    .map((type) => `  load${type.name}FromID(id: ID!): ${type.name}!`);
  cached = extendSchema(base, parse(`extend type Query {\n${loaders.join('\n')}\n}`));
  return cached;
}
