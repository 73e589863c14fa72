import { existsSync } from 'node:fs';
import { connection } from '@dagger.io/dagger';
import { GantryError, StageError } from '../core/errors.ts';
import { isConnectionError } from './engine-errors.ts';

/** How Gantry reaches a Dagger engine, as decided from the environment. */
export type EngineTarget =
  | { kind: 'session'; port: string; description: string }
  | { kind: 'runner-host'; host: string; description: string }
  | { kind: 'docker'; description: string }
  | { kind: 'none'; description: string };

const HOW_TO_GET_ONE =
  'run under the Dagger CLI (`dagger run npx gantry run`), start Docker so the Dagger CLI can start an engine, ' +
  'or point at a shared engine with _EXPERIMENTAL_DAGGER_RUNNER_HOST (tcp://HOST:PORT, kube-pod://POD?namespace=NS, ' +
  'unix:///run/dagger/engine.sock)';

/**
 * The `_EXPERIMENTAL_DAGGER_RUNNER_HOST` schemes Dagger v0.21.8 registers, exactly (`engine/client/drivers/`,
 * each file's `init()` calling `register()` of driver.go): container.go registers the container-runtime
 * drivers, dial.go the network ones, cloud.go `dagger-cloud`. `podman-container://` is not one of them
 * (use `container+podman://`).
 */
export const RUNNER_HOST_SCHEMES: readonly string[] = [
  // container.go: legacy names, then any runtime (docker, apple, podman, finch, nerdctl), then one runtime.
  'docker-image',
  'docker-container',
  'image',
  'container',
  ...['docker', 'apple', 'podman', 'finch', 'nerdctl'].flatMap((rt) => [`image+${rt}`, `container+${rt}`]),
  // dial.go
  'tcp',
  'unix',
  'ssh',
  'kube-pod',
  'tls',
  // cloud.go
  'dagger-cloud',
];

/** Decides which engine a run will use. Pure: reads only the given environment and `exists`. */
export function engineTarget(
  env: Readonly<Record<string, string | undefined>>,
  exists: (path: string) => boolean = existsSync,
): EngineTarget {
  const port = env.DAGGER_SESSION_PORT;
  if (port) return { kind: 'session', port, description: `Dagger session on 127.0.0.1:${port} (dagger run)` };
  const host = env._EXPERIMENTAL_DAGGER_RUNNER_HOST;
  if (host) {
    const scheme = host.split('://')[0] ?? '';
    if (!RUNNER_HOST_SCHEMES.includes(scheme)) {
      return {
        kind: 'none',
        description: `unsupported _EXPERIMENTAL_DAGGER_RUNNER_HOST scheme "${scheme}://" (Dagger v0.21 knows ${RUNNER_HOST_SCHEMES.map((s) => `${s}://`).join(', ')})`,
      };
    }
    return { kind: 'runner-host', host, description: `shared engine at ${redactUrl(host)}` };
  }
  if (env.DOCKER_HOST || exists('/var/run/docker.sock') || exists('/run/podman/podman.sock')) {
    return { kind: 'docker', description: 'local engine started by the Dagger CLI in Docker' };
  }
  return {
    kind: 'none',
    description: 'no DAGGER_SESSION_PORT, no _EXPERIMENTAL_DAGGER_RUNNER_HOST and no Docker daemon',
  };
}

/** Removes credentials from a URL-like string before it is printed. */
function redactUrl(value: string): string {
  return value.replace(/\/\/[^/@]*@/, '//***@');
}

/**
 * Runs `fn` inside one Dagger `connection()`. Refuses early, with instructions, when no engine is reachable,
 * and turns provisioning failures into a clear {@link StageError} instead of a stack trace.
 */
export async function withEngine<T>(
  env: Readonly<Record<string, string | undefined>>,
  log: (line: string) => void,
  fn: () => Promise<T>,
): Promise<T> {
  const target = engineTarget(env);
  if (target.kind === 'none') {
    throw new StageError('ENGINE_UNREACHABLE', `no Dagger engine is reachable: ${target.description}`, {
      hint: HOW_TO_GET_ONE,
    });
  }
  log(`engine: ${target.description}`);
  let result: T | undefined;
  try {
    await connection(async () => {
      result = await fn();
    });
  } catch (error) {
    if (error instanceof GantryError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    if (isConnectionError(error) || /automatic provisioning/i.test(message)) {
      throw new StageError(
        'ENGINE_UNREACHABLE',
        `cannot reach the Dagger engine (${target.description}): ${firstLine(message)}${isConnectionError(error) ? ' (connection refused or closed)' : ''}`,
        {
          cause: error,
          hint: HOW_TO_GET_ONE,
        },
      );
    }
    throw error;
  }
  return result as T;
}

function firstLine(text: string): string {
  return text.split('\n')[0]?.slice(0, 300) ?? '';
}
