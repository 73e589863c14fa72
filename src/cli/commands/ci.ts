/**
 * `gantry ci generate|check|init <platform>`: the CI wrappers, generated from the pipeline's phases.
 * The command only parses arguments and loads the CI shape; {@link runCi} does the work on a given shape.
 */
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ExitCode, InputError } from '../../core/errors.ts';
import { docReference } from '../../core/package-files.ts';
import { type CiFileResult, checkCiFiles, GENERATORS, writeCiFiles } from '../ci/files.ts';
import { type CiShape, ciShape } from '../ci/shape.ts';
import {
  CI_PLATFORMS,
  type CiGenerateOptions,
  type CiPlatform,
  type CiSource,
  isCiPlatform,
} from '../ci/wrapper.ts';
import type { Command, CommandContext } from './command.ts';
import { loadPipeline } from './pipeline.ts';

const platforms = CI_PLATFORMS.join('|');
const usage = `gantry ci generate <${platforms}> [--write] [--ref REF [--tag TAG]] [--branch B] [--config F]
       gantry ci check [${platforms} …] [--dir DIR]
       gantry ci init <${platforms}> [--ref REF] [--dir DIR] [--force]

generate  prints the wrapper generated from the pipeline's phases (--write: writes it into --dir)
check     fails (exit 2) when a committed wrapper no longer matches what generate makes; the options are
          read back from the wrapper's header (default: every platform whose wrapper exists)
init      writes the wrapper of one platform into a repository, referencing Gantry's action, component or
          shared library pinned to --ref (GitHub: a full commit SHA; GitLab and Jenkins: default v<version>)

Options:
  --ref REF      pin Gantry's integration to REF; without it, generate references this checkout (uses: ./)
  --tag TAG      the tag REF is, shown next to a SHA
  --branch B     the branch that releases (default: main)
  --config F     gantry.yaml path (default: gantry.yaml)
  --dir DIR      repository root (default: the current directory)
  --force        init: replace files that exist with other content

Exit codes: 0 ok · 2 invalid arguments, a wrapper differs from the generated one (check), or files exist (init)`;

/** What `gantry ci` was asked to do, once the arguments are parsed. */
export interface CiRequest {
  readonly action: 'generate' | 'check' | 'init';
  readonly platforms: readonly CiPlatform[];
  readonly options: CiGenerateOptions;
  /** Repository root. */
  readonly dir: string;
  readonly write: boolean;
  readonly force: boolean;
}

/** Does what `request` says on `shape`; writes messages through `stdout`. */
export async function runCi(
  shape: CiShape,
  request: CiRequest,
  stdout: (text: string) => void,
): Promise<ExitCode> {
  const { action, dir } = request;
  if (action === 'check') {
    const problems: string[] = [];
    for (const platform of request.platforms) {
      const options = await optionsFromHeader(platform, dir);
      const drifts = await checkCiFiles(GENERATORS[platform](shape, options), dir);
      for (const d of drifts) problems.push(`${d.path} (${platform}):\n${d.diff}`);
    }
    if (problems.length > 0) {
      throw new InputError('CI_DRIFT', `the CI wrappers differ from the pipeline:\n${problems.join('\n')}`, {
        hint: 'Edit pipeline/main.ts rather than the wrapper, then regenerate it with the command in its header (gantry ci generate <platform> --write).',
      });
    }
    stdout(`ci check: ${request.platforms.join(', ') || 'no wrapper found'} up to date\n`);
    return ExitCode.ok;
  }
  const [platform] = request.platforms as [CiPlatform];
  const files = GENERATORS[platform](shape, request.options);
  if (action === 'generate' && !request.write) {
    stdout(files.map((f) => f.content).join('\n'));
    return ExitCode.ok;
  }
  const results = await writeCiFiles(files, dir, { force: action === 'generate' || request.force });
  stdout(`${results.map(renderResult).join('\n')}\n`);
  if (action === 'init')
    stdout(
      `Next: ${docReference(dir, 'docs/ci.md')} lists the secrets, environments and runner settings ${platform} needs.\n`,
    );
  return ExitCode.ok;
}

/** The options a committed wrapper was generated with, from the `Regenerate:` line of its header. */
export async function optionsFromHeader(platform: CiPlatform, dir: string): Promise<CiGenerateOptions> {
  const path = join(dir, GENERATORS[platform]({ project: 'x', phases: [] })[0]?.path ?? '');
  const text = await readFile(path, 'utf8').catch(() => '');
  const line = /Regenerate: gantry ci generate \S+ (.*?)\s{3}/.exec(text)?.[1];
  if (line === undefined) return {};
  return toOptions(parse(line.split(/\s+/).filter(Boolean)).values, platform, '');
}

/** The `ci` command. */
export const ciCommand: Command = {
  name: 'ci',
  summary: 'generate, check or write the GitHub Actions, GitLab CI or Jenkins wrapper',
  usage,
  async run(ctx: CommandContext): Promise<ExitCode> {
    const { values, positionals } = parse(ctx.args);
    if (values.help) {
      ctx.stdout(`${usage}\n`);
      return ExitCode.ok;
    }
    const request = await toRequest(values, positionals, ctx.cwd);
    const { config, pipeline } = await loadPipeline({ ...ctx, cwd: request.dir }, values.config);
    return runCi(ciShape(pipeline, config), request, ctx.stdout);
  },
};

type Values = ReturnType<typeof parse>['values'];

async function toRequest(values: Values, positionals: string[], cwd: string): Promise<CiRequest> {
  const [action, ...names] = positionals;
  if (action !== 'generate' && action !== 'check' && action !== 'init') {
    throw new InputError(
      'CI_ARGS',
      action === undefined ? 'gantry ci: missing sub-command' : `gantry ci: unknown sub-command "${action}"`,
      { hint: `Use generate, check or init: ${usage.split('\n')[0]}` },
    );
  }
  const bad = names.filter((n) => !isCiPlatform(n));
  if (bad.length > 0 || (action !== 'check' && names.length !== 1)) {
    const got = names.length === 0 ? 'no platform' : `"${names.join(' ')}"`;
    throw new InputError(
      'CI_PLATFORM',
      `gantry ci ${action}: expected ${action === 'check' ? 'platforms' : 'one platform'}, got ${got}`,
      {
        hint: `Use one of: ${CI_PLATFORMS.join(', ')}.`,
      },
    );
  }
  const dir = resolve(cwd, values.dir ?? '.');
  let platforms = names as CiPlatform[];
  if (action === 'check' && platforms.length === 0) {
    const present = await Promise.all(
      CI_PLATFORMS.map(async (p) => {
        const path = GENERATORS[p]({ project: 'x', phases: [] })[0]?.path ?? '';
        return (await readFile(join(dir, path), 'utf8').catch(() => undefined)) === undefined ? [] : [p];
      }),
    );
    platforms = present.flat();
  }
  const version = await packageVersion();
  return {
    action,
    platforms,
    options: toOptions(values, platforms[0] ?? 'github', action === 'init' ? `v${version}` : ''),
    dir,
    write: values.write ?? false,
    force: values.force ?? false,
  };
}

/** Options from flags; `init` pins by default (to the release tag, where the platform takes a tag). */
function toOptions(values: Values, platform: CiPlatform, defaultRef: string): CiGenerateOptions {
  const ref = values.ref ?? (platform === 'github' ? undefined : defaultRef || undefined);
  if (defaultRef && ref === undefined) {
    throw new InputError('CI_REF', 'gantry ci init github: --ref is required', {
      hint: `GitHub actions are pinned by full commit SHA: the commit of Gantry's release tag, e.g. git ls-remote https://github.com/gantry-ci/gantry refs/tags/${defaultRef}`,
    });
  }
  if (ref !== undefined && platform === 'github' && !/^[0-9a-f]{40}$/.test(ref)) {
    throw new InputError('CI_REF', `--ref "${ref}" is not a full commit SHA`, {
      hint: 'GitHub workflows here pin every action by its 40-hex commit SHA; pass the tag with --tag.',
    });
  }
  const source: CiSource =
    ref === undefined
      ? { kind: 'local' }
      : { kind: 'pinned', ref, tag: values.tag ?? (defaultRef || undefined) };
  return {
    source,
    ...(values.branch ? { defaultBranch: values.branch } : {}),
    ...(values.config ? { config: values.config } : {}),
  };
}

async function packageVersion(): Promise<string> {
  const { packageFile } = await import('../../core/package-files.ts');
  const text = await readFile(packageFile('package.json'), 'utf8').catch(() => '{}');
  return (JSON.parse(text) as { version?: string }).version ?? '0.0.0';
}

function renderResult(result: CiFileResult): string {
  return `${result.kind.padEnd(11)} ${result.path}  (${result.description})`;
}

function parse(args: readonly string[]) {
  try {
    return parseArgs({
      args: [...args],
      strict: true,
      allowPositionals: true,
      options: {
        ref: { type: 'string' },
        tag: { type: 'string' },
        branch: { type: 'string' },
        config: { type: 'string' },
        dir: { type: 'string' },
        write: { type: 'boolean' },
        force: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (cause) {
    const why = cause instanceof Error ? cause.message : String(cause);
    throw new InputError('CI_ARGS', `gantry ci: ${why}`, { hint: usage.split('\n')[0], cause });
  }
}
