import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readdir, rename, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { DEFAULT_CONFIG_FILE } from '../../core/config/load.ts';
import { ExitCode, InputError } from '../../core/errors.ts';
import { detectRepository, IGNORED_FOLDERS, type RepoFiles } from '../../core/init/detect.ts';
import {
  type InitAnswers,
  type InitQuestion,
  initQuestions,
  renderGantryYaml,
  renderPipelineMain,
} from '../../core/init/render.ts';
import { parseFlags } from './args.ts';
import type { Command } from './command.ts';

const usage = 'gantry init [--dir DIR] [--force] [--yes]';

/** Asks one question at the terminal; resolves to the answer. */
export type Ask = (question: InitQuestion) => Promise<string>;

/** Asks with @inquirer/prompts: a list for choices, a text field otherwise (loaded only at a terminal). */
const inquirerAsk: Ask = async (q) => {
  const { input, select } = await import('@inquirer/prompts');
  return q.choices
    ? select({ message: q.message, choices: q.choices, default: q.default })
    : input({ message: q.message, default: q.default });
};

/** How deep `init` looks for components (monorepos rarely nest services deeper). */
const MAX_DEPTH = 6;

/** Lists the repository's files, leaving out dependency and build folders. */
async function listFiles(root: string): Promise<string[]> {
  const files: string[] = [];
  const walk = async (dir: string, depth: number): Promise<void> => {
    if (depth > MAX_DEPTH) return;
    const entries = await readdir(join(root, dir), { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      const path = dir ? `${dir}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (!IGNORED_FOLDERS.includes(entry.name)) await walk(path, depth + 1);
      } else if (entry.isFile()) files.push(path);
    }
  };
  await walk('', 0);
  return files.sort();
}

/** Reads the repository: the file listing and a reader, for the pure detection. */
export async function repoFiles(root: string): Promise<RepoFiles> {
  return {
    files: await listFiles(root),
    read: (path) => {
      try {
        return readFileSync(join(root, path), 'utf8');
      } catch {
        return undefined;
      }
    },
  };
}

/** `gantry init` with a custom way to ask (tests pass one). */
export function createInitCommand(ask: Ask = inquirerAsk): Command {
  return {
    name: 'init',
    summary: 'write gantry.yaml and pipeline/main.ts for the components of this repository',
    usage,
    async run(ctx) {
      const { values } = parseFlags(
        'init',
        ctx.args,
        { dir: { type: 'string', default: '.' }, force: { type: 'boolean' }, yes: { type: 'boolean' } },
        usage,
      );
      const root = resolve(ctx.cwd, values.dir as string);
      const targets = [DEFAULT_CONFIG_FILE, 'pipeline/main.ts'];
      const existing = targets.filter((t) => existsSync(join(root, t)));
      if (existing.length > 0 && !values.force) {
        throw new InputError(
          'INIT_FILE_EXISTS',
          `gantry init: ${existing.join(', ')} already exist(s) in ${root}`,
          {
            hint: 'keep your files (gantry validate checks them), or run again with --force to replace them',
          },
        );
      }
      const detection = detectRepository(await repoFiles(root), basename(root));
      const answers: Record<string, string> = {};
      if (ctx.isTTY && !values.yes) for (const q of initQuestions(detection)) answers[q.id] = await ask(q);
      const files: [string, string][] = [
        [DEFAULT_CONFIG_FILE, renderGantryYaml(detection, answers as InitAnswers)],
        ['pipeline/main.ts', renderPipelineMain()],
      ];
      for (const [target, content] of files) await writeAtomically(join(root, target), content);

      const shown = relative(ctx.cwd, root) || '.';
      const rows = detection.components.map(
        (c) =>
          `  ${c.name.padEnd(16)} ${c.path.padEnd(24)} ${(c.toolchains.join('|') || '?').padEnd(8)} ${Object.keys(c.overlays).join(', ') || (c.chart ? `chart ${c.chart}` : '-')}`,
      );
      const todos = files[0]?.[1].split('\n').filter((l) => l.includes('# TODO:')).length ?? 0;
      ctx.stdout(
        [
          `✔ wrote ${targets.map((t) => join(shown, t)).join(' and ')}`,
          `components (${detection.components.length}):`,
          ...rows,
          `environments: ${detection.environments.join(', ')}`,
          todos > 0
            ? `${todos} TODO(s) left in ${DEFAULT_CONFIG_FILE}: each says what to fix`
            : 'nothing left to decide',
          'Next: npx gantry validate · npx gantry plan · dagger run npx tsx pipeline/main.ts · npx gantry ci init github|gitlab|jenkins',
          '',
        ].join('\n'),
      );
      return ExitCode.ok;
    },
  };
}

/** `gantry init`: detects the repository's components and writes gantry.yaml and pipeline/main.ts. */
export const initCommand: Command = createInitCommand();

async function writeAtomically(path: string, content: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temp = `${path}.${randomUUID()}.tmp`;
  await writeFile(temp, content);
  await rename(temp, path);
}
