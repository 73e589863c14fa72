/**
 * Trivy in its pinned container. Output is always unfiltered JSON (no --severity, --ignore-unfixed or
 * --exit-code): the policy gate decides in TypeScript.
 *
 * The vulnerability DB is downloaded once per run ({@link trivyDb}) and every scan gets its own copy as its
 * cache dir, with `--skip-db-update`. Trivy locks the download only inside one process
 * (`pkg/commands/operation/operation.go`, an in-process mutex) and its BoltDB files with flock, so scans
 * sharing one cache dir would race on a cold cache and block each other (trivy troubleshooting: "use
 * different cache directories"; trivy#9307: newer Trivy fails after a 5 s lock timeout).
 * See /work/notes/issue12-facts.md §6.
 */
import {
  CacheSharingMode,
  type CacheVolume,
  type Container,
  type Directory,
  dag,
  type File,
  ReturnType,
} from '@dagger.io/dagger';
import { IMAGES } from '../../core/images.ts';
import { freshPerRun } from '../fresh.ts';

/** Where each scan's own cache dir (`--cache-dir`) is, seeded with the run's DB. */
export const TRIVY_CACHE_DIR = '/root/.cache/trivy';
/** Where the shared DB cache volume is mounted for the download. */
export const TRIVY_SHARED_CACHE = '/cache/trivy';
/** Where the download step copies the DB out of the cache volume. */
const TRIVY_SEED = '/seed';
/** Where the source is mounted for `trivy fs`. */
export const TRIVY_SOURCE = '/src';
/** Where an image tarball is mounted for `trivy image --input`. */
export const TRIVY_TARBALL = '/image/image.tar';
/** Folder the reports are written into. */
export const TRIVY_OUT = '/out';

/** Options shared by every Trivy step. */
export interface TrivyOptions {
  /** Cache volume the DB is downloaded into (only when Trivy finds it out of date). @default dag.cacheVolume('gantry-trivy-db') */
  cache?: CacheVolume;
  /** Image to run. @default IMAGES.trivy */
  image?: string;
  /** The run whose scans these are: scans run fresh once per run. @default a new id per process */
  runId?: string | undefined;
  /** The DB to scan with (from {@link trivyDb}). @default trivyDb(runId, options) */
  db?: Directory;
}

/** argv that downloads (or keeps, when still current) the vulnerability DB without scanning (`--download-db-only`). */
export const TRIVY_DB_ARGS = ['trivy', 'image', '--download-db-only', '--cache-dir', TRIVY_SHARED_CACHE];
/** Copies the DB out of the cache volume (a cache mount is not part of the container's file system). */
export const TRIVY_SEED_SCRIPT = [
  'sh',
  '-c',
  `mkdir -p ${TRIVY_SEED} && cp -R ${TRIVY_SHARED_CACHE}/db ${TRIVY_SEED}/db`,
];

/**
 * The run's vulnerability DB as a directory (`db/trivy.db`, `db/metadata.json`): `--download-db-only` on
 * the shared cache volume, mounted `LOCKED` so two runs on one engine never write it at once, run fresh
 * per run (else Dagger would hand back the first run's DB forever), then copied out.
 */
export function trivyDb(runId?: string, options: Omit<TrivyOptions, 'db' | 'runId'> = {}): Directory {
  const { cache = dag.cacheVolume('gantry-trivy-db'), image = IMAGES.trivy } = options;
  return dag
    .container()
    .from(image)
    .withMountedCache(TRIVY_SHARED_CACHE, cache, { sharing: CacheSharingMode.Locked })
    .withEnvVariable('TRIVY_NO_PROGRESS', 'true')
    .with(freshPerRun(runId))
    .withExec(TRIVY_DB_ARGS)
    .withExec(TRIVY_SEED_SCRIPT)
    .directory(TRIVY_SEED);
}

/** The Trivy container of one scan: its own cache dir holding the run's DB, fresh per run. */
export function trivyContainer(options: TrivyOptions = {}): Container {
  const { image = IMAGES.trivy, runId, db = trivyDb(runId, options) } = options;
  return dag
    .container()
    .from(image)
    .withDirectory(TRIVY_CACHE_DIR, db)
    .withEnvVariable('TRIVY_NO_PROGRESS', 'true')
    .withDirectory(TRIVY_OUT, dag.directory())
    .with(freshPerRun(runId));
}

/** Flags every scan takes: its own cache dir, and no DB download (the run's DB is already there). */
const scanCache = ['--cache-dir', TRIVY_CACHE_DIR, '--skip-db-update'];

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
    ...scanCache,
    TRIVY_SOURCE,
  ];
}

/**
 * argv of an image-tarball scan writing JSON to `output`. `--list-all-pkgs` keeps every package in the
 * report, so the SBOM can be converted from it (trivy docs, reporting: "if you want to convert to a format
 * that requires a list of packages, such as SBOM, you need to add the `--list-all-pkgs` flag").
 */
export function trivyImageArgs(output: string): string[] {
  return [
    'trivy',
    'image',
    '--input',
    TRIVY_TARBALL,
    '--scanners',
    'vuln,secret',
    '--list-all-pkgs',
    '--format',
    'json',
    '--output',
    output,
    ...scanCache,
  ];
}

/** argv converting a JSON report into a CycloneDX SBOM (`trivy convert`, trivy docs `trivy_convert.md`). */
export function trivyConvertArgs(report: string, output: string): string[] {
  return ['trivy', 'convert', '--format', 'cyclonedx', '--output', output, report];
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
 * Writes `trivy.json` (vulnerabilities and secrets, every package listed) into {@link TRIVY_OUT}.
 */
export function trivyImage(tarball: File, options: TrivyOptions = {}): Container {
  return trivyContainer(options)
    .withMountedFile(TRIVY_TARBALL, tarball)
    .withExec(trivyImageArgs(`${TRIVY_OUT}/trivy.json`), { expect: ReturnType.Any });
}

/** The CycloneDX SBOM converted from the JSON report of a {@link trivyImage} scan (no second scan). */
export function trivySbom(scanned: Container): File {
  return scanned
    .withExec(trivyConvertArgs(`${TRIVY_OUT}/trivy.json`, `${TRIVY_OUT}/sbom.cdx.json`))
    .file(`${TRIVY_OUT}/sbom.cdx.json`);
}
