import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { type Container, type Directory, dag } from '@dagger.io/dagger';
import type { Component } from '../core/config/schema.ts';
import { lockfileHash, resolveToolchain, type Toolchain } from '../core/toolchains.ts';
import { checkout } from './source.ts';

/** Where a component's source is mounted in its toolchain container. */
export const WORKDIR = '/src';

/** Options of {@link deps}. */
export interface DepsOptions {
  /** Hash of the lockfile; it names the cache volumes so a changed lockfile starts a fresh cache. @default 'nolock' */
  lockHash?: string;
  /** Prefix of the cache volume names. @default 'gantry' */
  cachePrefix?: string;
}

/**
 * The toolchain container with the component's dependencies installed. The lockfile is copied in first,
 * alone, so that the install layer is reused from Dagger's cache while the lockfile is unchanged.
 */
export function deps(source: Directory, toolchain: Toolchain, options: DepsOptions = {}): Container {
  const { lockHash = 'nolock', cachePrefix = 'gantry' } = options;
  let ctr = dag.container().from(toolchain.image).withWorkdir(WORKDIR);
  for (const [name, value] of Object.entries(toolchain.env)) ctr = ctr.withEnvVariable(name, value);
  for (const path of toolchain.caches) {
    ctr = ctr.withMountedCache(
      path,
      dag.cacheVolume(`${cachePrefix}-${path.replace(/[^a-z0-9]+/gi, '-')}-${lockHash}`),
    );
  }
  // Manifests first, then install: the install layer depends on them only.
  ctr = ctr.withDirectory(WORKDIR, source, { include: manifestFiles(toolchain) });
  for (const cmd of toolchain.install) ctr = ctr.withExec(cmd);
  ctr = ctr.withDirectory(WORKDIR, source);
  // The toolchain's afterSource commands (uv installing the project itself) need the whole source.
  for (const cmd of toolchain.afterSource) ctr = ctr.withExec(cmd);
  return ctr;
}

function manifestFiles(toolchain: Toolchain): string[] {
  const files = ['package.json', 'pyproject.toml', 'go.mod', 'requirements.txt'];
  return toolchain.lockfile ? [...files, toolchain.lockfile] : files;
}

const exists = (file: string) =>
  access(file).then(
    () => true,
    () => false,
  );

/** A component's deps container, as every later stage builds it (Dagger's cache makes the repeat free). */
export async function componentDeps(
  repoRoot: string,
  component: Component,
): Promise<{ container: Container; toolchain: Toolchain; lockHash: string }> {
  const dir = join(repoRoot, component.path);
  const toolchain = await resolveToolchain(component, dir, exists);
  const lockHash = await lockfileHash(dir, toolchain.lockfile);
  const source = checkout(dir);
  return { container: deps(source, toolchain, { lockHash }), toolchain, lockHash };
}
