/**
 * `gantry ci init github|gitlab|jenkins`: writes the thin CI wrapper that calls gantry into a repository.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ExitCode, InputError } from '../../core/errors.ts';
import { docReference } from '../../core/package-files.ts';
import { type CiFileResult, writeCiFiles } from '../ci/init.ts';
import { CI_PLATFORMS, isCiPlatform } from '../ci/templates.ts';
import type { Command, CommandContext } from './command.ts';

const usage = `gantry ci init <${CI_PLATFORMS.join('|')}> [--dir DIR] [--force]

Writes the CI wrapper files for one platform: jobs that call gantry per phase, pass the run manifest
as an artifact, and leave approvals, secrets and reports to the platform. Setup: docs/ci.md in the gantry package.

Options:
  --dir DIR    repository root to write into (default: the current directory)
  --force      replace files that exist with other content
  -h, --help   show this help

Exit codes: 0 written · 2 invalid arguments, or files exist with other content (without --force)`;

/** The `ci` command. */
export const ciCommand: Command = {
  name: 'ci',
  summary: 'write the GitHub Actions, GitLab CI or Jenkins wrapper into a repository',
  usage,
  async run(ctx: CommandContext): Promise<ExitCode> {
    const { values, positionals } = parse(ctx.args);
    if (values.help) {
      ctx.stdout(`${usage}\n`);
      return ExitCode.ok;
    }
    const [action, platform, ...extra] = positionals;
    if (action !== 'init') {
      throw new InputError(
        'CI_ARGS',
        action === undefined
          ? 'gantry ci: missing sub-command'
          : `gantry ci: unknown sub-command "${action}"`,
        { hint: `The only sub-command is init: ${usage.split('\n')[0]}` },
      );
    }
    if (platform === undefined || !isCiPlatform(platform) || extra.length > 0) {
      const got = platform === undefined ? 'no platform' : `"${[platform, ...extra].join(' ')}"`;
      throw new InputError('CI_PLATFORM', `gantry ci init: expected one platform, got ${got}`, {
        hint: `Use one of: ${CI_PLATFORMS.join(', ')}.`,
      });
    }
    const dir = resolve(ctx.cwd, values.dir ?? '.');
    const results = await writeCiFiles(platform, dir, { force: values.force ?? false });
    ctx.stdout(`${results.map(renderResult).join('\n')}\n`);
    ctx.stdout(
      `Next: ${docReference(dir, 'docs/ci.md')} lists the secrets, environments and runner settings ${platform} needs.\n`,
    );
    return ExitCode.ok;
  },
};

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
        dir: { type: 'string' },
        force: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (cause) {
    const why = cause instanceof Error ? cause.message : String(cause);
    throw new InputError('CI_ARGS', `gantry ci: ${why}`, { hint: usage.split('\n')[0], cause });
  }
}
