import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, posix } from 'node:path';
import { type GraphQLOutputType, getNamedType, getNullableType, isEnumType, isListType } from 'graphql';
import { type Chain, encodeId, type Step } from './chain.ts';
import type { ExecOutcome } from './evaluate.ts';
import { directoryEntries, fileContents, type Scenario } from './scenario.ts';

/** Leaves that read metadata only; every other leaf evaluates its object's execs first. */
export const LAZY_LEAVES = new Set([
  'id',
  'envVariable',
  'platform',
  'workdir',
  'user',
  'entrypoint',
  'name',
  'uri',
]);

/** What a leaf needs to compute its value. */
export interface LeafContext {
  scenario: Scenario;
  /** Plaintexts given to `setSecret`, by name; kept out of chains, IDs and recordings. */
  secrets: Map<string, string>;
  /** The object's chain and its expanded steps. */
  object: Chain;
  steps: Step[];
  field: string;
  args: Record<string, unknown>;
  returnType: GraphQLOutputType;
  /** Outcome of the object's last exec, when the leaf forced evaluation. */
  exec: ExecOutcome | undefined;
}

/** Default value of a leaf: from the scenario, the chain, or a neutral value of its type. */
export function leafValue(leaf: LeafContext): unknown {
  const { object, field, args, exec } = leaf;
  const hash = (salt: string) => createHash('sha256').update(salt).update(encodeId(object)).digest('hex');
  switch (`${object.type}.${field}`) {
    case 'Container.stdout':
      return exec?.stdout ?? '';
    case 'Container.stderr':
      return exec?.stderr ?? '';
    case 'Container.combinedOutput':
      return (exec?.stdout ?? '') + (exec?.stderr ?? '');
    case 'Container.exitCode':
      return exec?.exitCode ?? 0;
    case 'Container.publish':
      return `${String(args.address).replace(/(:[^/:@]*)?(@.*)?$/, '')}@sha256:${hash('publish')}`;
    case 'File.contents':
      return fileContents(leaf.scenario, object, leaf.steps);
    case 'File.size':
      return Buffer.byteLength(fileContents(leaf.scenario, object, leaf.steps));
    case 'Directory.entries':
    case 'Directory.glob':
      return directoryEntries(leaf.scenario, object, leaf.steps, args.path as string | undefined);
    case 'File.name':
    case 'Directory.name':
      return posix.basename(String(object.args.path ?? object.args.name ?? '')) || '/';
    case 'Secret.plaintext':
      return (
        leaf.secrets.get(String(object.args.name)) ?? leaf.scenario.secrets?.[String(object.args.uri)] ?? ''
      );
    case 'Secret.name':
      return String(object.args.name ?? object.args.uri ?? '');
    case 'Service.hostname':
      return `svc-${hash('service').slice(0, 12)}`;
    case 'Service.endpoint': {
      const scheme = args.scheme ? `${String(args.scheme)}://` : '';
      return `${scheme}svc-${hash('service').slice(0, 12)}:${Number(args.port ?? 80)}`;
    }
  }
  if (field === 'export') {
    // Like the real engine, an export writes to the client's host: a file's contents, or an empty folder.
    const path = String(args.path ?? '');
    if (object.type === 'File') {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, fileContents(leaf.scenario, object, leaf.steps));
    } else if (object.type === 'Directory') mkdirSync(path, { recursive: true });
    return path;
  }
  if (field === 'digest') return `sha256:${hash('digest')}`;
  return neutral(leaf.returnType, object);
}

function neutral(type: GraphQLOutputType, object: Chain): unknown {
  if (isListType(getNullableType(type))) return [];
  const named = getNamedType(type);
  if (isEnumType(named)) return named.getValues()[0]?.value;
  switch (named.name) {
    case 'ID':
      return encodeId(object);
    case 'Int':
    case 'Float':
      return 0;
    case 'Boolean':
      return false;
    case 'Void':
      return null;
    case 'Platform':
      return 'linux/amd64';
    case 'JSON':
      return 'null';
    default:
      return '';
  }
}
