import {
  type DocumentNode,
  execute,
  type GraphQLError,
  type GraphQLSchema,
  parse,
  specifiedRules,
  validate,
} from 'graphql';
import { ROOT } from './chain.ts';
import { type ResolverContext, resolvers } from './resolvers.ts';

/** A GraphQL-over-HTTP request body. */
export interface GraphQLBody {
  query: string;
  variables?: Record<string, unknown>;
  operationName?: string;
}

/** HTTP status and JSON body of an answer, plus whether the document passed validation. */
export interface Answer {
  status: number;
  body: { data?: unknown; errors?: readonly GraphQLError[] | { message: string }[] };
  valid: boolean;
}

/**
 * Parses, validates and executes one document against the engine schema. Parse and
 * validation failures get 422 with `extensions.code` as gqlgen (under the engine's dagql)
 * answers; graphql-request turns any `errors` into a ClientError, the SDK into a thrown error.
 */
export async function answer(
  body: GraphQLBody,
  schema: GraphQLSchema,
  ctx: ResolverContext,
): Promise<Answer> {
  let document: DocumentNode;
  try {
    document = parse(body.query);
  } catch (error) {
    return reject([error as GraphQLError], 'GRAPHQL_PARSE_FAILED');
  }
  const invalid = validate(schema, document, specifiedRules);
  if (invalid.length > 0) return reject(invalid, 'GRAPHQL_VALIDATION_FAILED');
  const { fieldResolver, typeResolver } = resolvers(ctx);
  const result = await execute({
    schema,
    document,
    rootValue: ROOT,
    variableValues: body.variables,
    operationName: body.operationName,
    fieldResolver,
    typeResolver,
  });
  return { status: 200, body: result, valid: true };
}

function reject(errors: readonly GraphQLError[], code: string): Answer {
  const body = { errors: errors.map((error) => ({ ...error.toJSON(), extensions: { code } })) };
  return { status: 422, body, valid: false };
}
