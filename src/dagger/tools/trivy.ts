/**
 * Trivy in its pinned container. The vulnerability DB lives on a cache volume, so only the first run of an
 * engine downloads it. Output is always unfiltered JSON (no --severity, --ignore-unfixed or --exit-code):
 * the policy gate decides in TypeScript.
 */
import {
  type CacheVolume,
  type Container,
  type Directory,
  dag,
  type File,
  ReturnType,
} from '@dagger.io/dagger';
import { IMAGES } from '../../core/images.ts';

/** Where Trivy keeps its DB inside the container (`--cache-dir`). */
export const TRIVY_CACHE_DIR = '/root/.cache/trivy';
/** Where the source is mounted for `trivy fs`. */
export const TRIVY_SOURCE = '/src';
/** Where an image tarball is mounted for `trivy image --input`. */
export const TRIVY_TARBALL = '/image/image.tar';
/** Folder the reports are written into. */
export const TRIVY_OUT = '/out';

/** Options shared by every Trivy step. */
export interface TrivyOptions {
  /** Cache volume holding the vulnerability DB. @default dag.cacheVolume('gantry-trivy-db') */
  cache?: CacheVolume;
  /** Image to run. @default IMAGES.trivy */
  image?: string;
}

/** The Trivy container with its DB cache mounted. */
export function trivyContainer(options: TrivyOptions = {}): Container {
  const { cache = dag.cacheVolume('gantry-trivy-db'), image = IMAGES.trivy } = options;
  return dag
    .container()
    .from(image)
    .withMountedCache(TRIVY_CACHE_DIR, cache)
    .withEnvVariable('TRIVY_NO_PROGRESS', 'true')
    .withDirectory(TRIVY_OUT, dag.directory());
}

/** argv of a filesystem scan (vulnerabilities, secrets, misconfigurations) writing JSON to `output`. */
export function trivyFsArgs(output: string): string[] {
  return [
    'trivy',
    'fs',
    '--scanners',
    'vuln,secret,misconfig',
    '--format',
    'json',
    '--output',
    output,
    '--cache-dir',
    TRIVY_CACHE_DIR,
    TRIVY_SOURCE,
  ];
}

/** argv of an image-tarball scan in `format` (`json` for the gate, `cyclonedx` for the SBOM). */
export function trivyImageArgs(format: 'json' | 'cyclonedx', output: string): string[] {
  const scanners = format === 'json' ? ['--scanners', 'vuln,secret'] : [];
  return [
    'trivy',
    'image',
    '--input',
    TRIVY_TARBALL,
    ...scanners,
    '--format',
    format,
    '--output',
    output,
    '--cache-dir',
    TRIVY_CACHE_DIR,
  ];
}

/**
 * `trivy fs` over a source folder. The exec may exit non-zero (a crash): the caller reads `exitCode()` and
 * the report at {@link TRIVY_OUT}`/trivy.json` and tells a crash from findings.
 */
export function trivyFs(source: Directory, options: TrivyOptions = {}): Container {
  return trivyContainer(options)
    .withMountedDirectory(TRIVY_SOURCE, source)
    .withExec(trivyFsArgs(`${TRIVY_OUT}/trivy.json`), { expect: ReturnType.Any });
}

/**
 * `trivy image --input` over an OCI tarball (`Container.asTarball()`), before anything is published.
 * Writes `trivy.json` (vulnerabilities and secrets) then `sbom.cdx.json` (CycloneDX) into {@link TRIVY_OUT}.
 */
export function trivyImage(tarball: File, options: TrivyOptions = {}): Container {
  return trivyContainer(options)
    .withMountedFile(TRIVY_TARBALL, tarball)
    .withExec(trivyImageArgs('json', `${TRIVY_OUT}/trivy.json`), { expect: ReturnType.Any });
}

/** The CycloneDX SBOM of an image tarball, as a file. */
export function trivySbom(tarball: File, options: TrivyOptions = {}): File {
  return trivyContainer(options)
    .withMountedFile(TRIVY_TARBALL, tarball)
    .withExec(trivyImageArgs('cyclonedx', `${TRIVY_OUT}/sbom.cdx.json`))
    .file(`${TRIVY_OUT}/sbom.cdx.json`);
}
