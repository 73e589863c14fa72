import {
  type GraphQLFieldResolver,
  type GraphQLResolveInfo,
  type GraphQLSchema,
  type GraphQLTypeResolver,
  getNamedType,
  getNullableType,
  isAbstractType,
  isLeafType,
  isListType,
} from 'graphql';
import { Chain, decodeId, type Step, steps } from './chain.ts';
import type { Evaluator } from './evaluate.ts';
import { LAZY_LEAVES, leafValue } from './leaves.ts';
import type { Scenario } from './scenario.ts';

/** Per-engine state the resolvers share. */
export interface ResolverContext {
  schema: GraphQLSchema;
  scenario: Scenario;
  evaluator: Evaluator;
  secrets: Map<string, string>;
  /** Called once per resolved leaf with its object's type and the expanded chain, leaf included. */
  onCall: (type: string, steps: Step[]) => void;
}

/** The graphql-js `fieldResolver` / `typeResolver` pair that models the engine as chains. */
export function resolvers(ctx: ResolverContext): {
  fieldResolver: GraphQLFieldResolver<Chain, unknown>;
  typeResolver: GraphQLTypeResolver<Chain, unknown>;
} {
  const fieldResolver: GraphQLFieldResolver<Chain, unknown> = async (object, rawArgs, _context, info) => {
    const args = givenArgs(rawArgs, info);
    const { fieldName } = info;
    if (fieldName === 'node' || /^load\w+FromID$/.test(fieldName)) {
      const loaded = args.id as Chain;
      const wanted = getNamedType(info.returnType);
      if (!isAbstractType(wanted) && loaded.type !== wanted.name) {
        throw new Error(`${fieldName}: ID is a ${loaded.type}, not a ${wanted.name}`);
      }
      return loaded;
    }
    if (fieldName === 'setSecret') {
      ctx.secrets.set(String(args.name), String(args.plaintext));
      delete args.plaintext;
    }
    const named = getNamedType(info.returnType);
    if (!isLeafType(named)) {
      if (isListType(getNullableType(info.returnType))) return [];
      const type = isAbstractType(named)
        ? (ctx.schema.getPossibleTypes(named)[0]?.name ?? named.name)
        : named.name;
      return new Chain(type, object, fieldName, args);
    }
    const leafSteps = steps(new Chain(named.name, object, fieldName, args));
    ctx.onCall(object.type, leafSteps);
    const exec = LAZY_LEAVES.has(fieldName) ? undefined : await ctx.evaluator.force(object);
    const leaf = { type: object.type, field: fieldName, args, steps: leafSteps.slice(0, -1) };
    const scripted = ctx.scenario.leaves?.(leaf);
    if (scripted !== undefined) return scripted;
    return leafValue({ ...leaf, ...ctx, object, exec, returnType: info.returnType });
  };
  return { fieldResolver, typeResolver: (value) => value.type };
}

/** Arguments spelled out in the query (defaults dropped), with ID arguments decoded to chains. */
function givenArgs(rawArgs: Record<string, unknown>, info: GraphQLResolveInfo): Record<string, unknown> {
  const given = new Set(info.fieldNodes[0]?.arguments?.map((arg) => arg.name.value));
  const defs = info.parentType.getFields()[info.fieldName]?.args ?? [];
  const args: Record<string, unknown> = {};
  for (const def of defs) {
    if (!given.has(def.name) || !(def.name in rawArgs)) continue;
    const value = rawArgs[def.name];
    const isId = getNamedType(def.type).name === 'ID';
    args[def.name] = isId && value != null ? decodeIds(value) : value;
  }
  return args;
}

function decodeIds(value: unknown): unknown {
  return Array.isArray(value) ? value.map(decodeIds) : decodeId(String(value));
}
