import { Chain, lineage, type Step, steps } from './chain.ts';

/** A secret the exec sees, by name only (never its value). */
export interface SecretUse {
  /** Env var name (`withSecretVariable`) or mount path (`withMountedSecret`). */
  target: string;
  as: 'env' | 'file';
  /** `setSecret` name or `secret` URI. */
  secret: string;
}

/** One `withExec` the engine ran, with the container state it ran in. */
export interface ExecRecord {
  argv: string[];
  /** Address given to the last `from`. */
  image?: string;
  env: Record<string, string>;
  secrets: SecretUse[];
  /** `withMountedDirectory` / `withMountedFile` / `withMountedTemp`. */
  mounts: { path: string; kind: 'directory' | 'file' | 'tmpfs'; source?: Step[] }[];
  caches: { path: string; key: string }[];
  /** `withDirectory` / `withFile` copies. */
  copies: { path: string; source: Step[] }[];
  services: { alias: string; source: Step[] }[];
  workdir?: string;
  user?: string;
  /** `withExec(expect:)`: SUCCESS, FAILURE or ANY. */
  expect: string;
  exitCode: number;
  /** The container's chain up to and including this exec. */
  steps: Step[];
}

/** The state of the container `exec` (a `withExec` link) ran in, folded over its chain. */
export function execRecord(exec: Chain, exitCode: number): ExecRecord {
  const record: ExecRecord = {
    argv: (exec.args.args as string[]) ?? [],
    env: {},
    secrets: [],
    mounts: [],
    caches: [],
    copies: [],
    services: [],
    expect: String(exec.args.expect ?? 'SUCCESS'),
    exitCode,
    steps: steps(exec),
  };
  const links = lineage(exec);
  // Only the container's own links count: stop where the chain was last another type.
  const start = links.findLastIndex((link) => link.parent?.type !== 'Container');
  for (const link of links.slice(Math.max(start, 0), -1)) apply(record, link.field, link.args);
  return record;
}

function apply(record: ExecRecord, field: string, args: Chain['args']): void {
  const str = (name: string) => String(args[name] ?? '');
  const source = (name: string) => (args[name] instanceof Chain ? steps(args[name]) : undefined);
  const without = <T extends object>(list: T[], key: keyof T, value: unknown) =>
    list.filter((item) => item[key] !== value);
  switch (field) {
    case 'from':
      record.image = str('address');
      break;
    case 'withEnvVariable':
      record.env[str('name')] = str('value');
      break;
    case 'withoutEnvVariable':
      delete record.env[str('name')];
      break;
    case 'withSecretVariable':
      record.secrets.push({ target: str('name'), as: 'env', secret: secretName(args.secret) });
      break;
    case 'withoutSecretVariable':
      record.secrets = without(record.secrets, 'target', str('name'));
      break;
    case 'withMountedSecret':
      record.secrets.push({ target: str('path'), as: 'file', secret: secretName(args.source) });
      break;
    case 'withMountedCache':
      record.caches.push({ path: str('path'), key: cacheKey(args.cache) });
      break;
    case 'withMountedDirectory':
    case 'withMountedFile':
      record.mounts.push({
        path: str('path'),
        kind: field === 'withMountedFile' ? 'file' : 'directory',
        source: source('source'),
      });
      break;
    case 'withMountedTemp':
      record.mounts.push({ path: str('path'), kind: 'tmpfs' });
      break;
    case 'withoutMount':
      record.mounts = without(record.mounts, 'path', str('path'));
      record.caches = without(record.caches, 'path', str('path'));
      record.secrets = without(record.secrets, 'target', str('path'));
      break;
    case 'withDirectory':
    case 'withFile':
      record.copies.push({ path: str('path'), source: source('source') ?? [] });
      break;
    case 'withServiceBinding':
      record.services.push({ alias: str('alias'), source: source('service') ?? [] });
      break;
    case 'withWorkdir':
      record.workdir = str('path');
      break;
    case 'withUser':
      record.user = str('name');
      break;
  }
}

function secretName(secret: unknown): string {
  if (!(secret instanceof Chain)) return String(secret);
  return String(secret.args.name ?? secret.args.uri ?? secret.field);
}

function cacheKey(cache: unknown): string {
  return cache instanceof Chain ? String(cache.args.key ?? '') : String(cache);
}
