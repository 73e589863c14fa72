import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, parseConfig } from '../../../src/core/config/load.ts';
import { InputError } from '../../../src/core/errors.ts';
import { runCli } from '../../support/cli.ts';

const valid = `version: 1
name: demo
components:
  - name: api
    path: services/api
    toolchain: node
registry:
  address: ghcr.io/acme
  username: bot
  password: env://REGISTRY_TOKEN
signing:
  mode: key
  key: file://./cosign.key
  password: env://COSIGN_PASSWORD
  publicKey: cosign.pub
`;

function failure(text: string): InputError {
  try {
    parseConfig(text, 'gantry.yaml');
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error('expected the config to be rejected');
}

describe('parseConfig', () => {
  it('accepts a valid config and applies defaults', () => {
    const config = parseConfig(valid);
    expect(config.components[0]?.dockerfile).toBe('Dockerfile');
    expect(config.policy).toBe('policies/default.yaml');
    expect(config.signing).toMatchObject({ mode: 'key', key: 'file://./cosign.key' });
  });

  it('accepts the repository gantry.yaml', async () => {
    const config = await loadConfig(join(import.meta.dirname, '../../../gantry.yaml'));
    expect(config.components.map((c) => c.name)).toContain('hello-api');
  });

  it('rejects a wrong type with line, column, path and fix', () => {
    const error = failure(valid.replace('toolchain: node', 'toolchain: 42'));
    expect(error.exitCode).toBe(2);
    expect(error.message).toContain('gantry.yaml:6:16: components[0].toolchain');
    expect(error.message).toMatch(/fix: use one of: "node", "python", "go"/);
  });

  it('rejects unknown keys at the key itself', () => {
    const error = failure(valid.replace('    toolchain: node', '    toolchain: node\n    colour: red'));
    expect(error.message).toContain('gantry.yaml:7:5: components[0].colour: unknown field "colour"');
    expect(error.message).toContain('check its spelling');
  });

  it('rejects a plaintext secret and says how to reference it', () => {
    const error = failure(valid.replace('env://REGISTRY_TOKEN', 'hunter2'));
    expect(error.message).toContain('gantry.yaml:10:13: registry.password');
    expect(error.message).toContain('never the value itself');
    expect(error.message).toContain('env://REGISTRY_PASSWORD');
    // The rejected value is not echoed back.
    expect(error.message).not.toContain('hunter2');
  });

  it('reports every secret scheme it accepts', () => {
    for (const uri of ['env://A', 'file:///k', 'cmd://pass show x', 'vault://kv/x.y', 'op://v/i/f']) {
      expect(() => parseConfig(valid.replace('env://REGISTRY_TOKEN', uri))).not.toThrow();
    }
  });

  it('rejects bad YAML with a position', () => {
    const error = failure('version: 1\nname: demo\ncomponents: [\n');
    expect(error.code).toBe('CONFIG_SYNTAX');
    expect(error.message).toMatch(/gantry\.yaml:\d+:\d+: /);
  });

  it('rejects a list used as a mapping key at its position', () => {
    const error = failure('version: 1\nname: demo\n? [a, b]\n: c\ncomponents: [{ name: api }]\n');
    expect(error.code).toBe('CONFIG_SYNTAX');
    expect(error.message).toBe('gantry.yaml:3:3: a mapping key must be a plain value');
  });

  it('rejects an empty file and a comments-only file', () => {
    expect(failure('').code).toBe('CONFIG_EMPTY');
    expect(failure('# nothing here\n').code).toBe('CONFIG_EMPTY');
  });

  it('reports a missing required field at its parent', () => {
    const error = failure('version: 1\nname: demo\ncomponents:\n  - path: x\n');
    expect(error.message).toContain('gantry.yaml:4:5: components[0].name');
    expect(error.message).toContain('add this required field');
  });
});

describe('loadConfig', () => {
  it('turns a missing file into exit 2 with the fix', async () => {
    await expect(loadConfig('/nonexistent/gantry.yaml')).rejects.toMatchObject({
      exitCode: 2,
      code: 'CONFIG_MISSING',
      hint: expect.stringContaining('--config'),
    });
  });
});

describe('gantry validate', () => {
  it('prints the error without a stack trace and exits 2, for each kind of bad config', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gantry-config-'));
    const bad = {
      'types.yaml': valid.replace('toolchain: node', 'toolchain: [1]'),
      'unknown.yaml': `${valid}extra: true\n`,
      'secret.yaml': valid.replace('env://COSIGN_PASSWORD', 'p4ssw0rd'),
      'syntax.yaml': 'version: 1\n  name: x\n: :\n',
      'empty.yaml': '',
    };
    for (const [file, text] of Object.entries(bad)) {
      await writeFile(join(dir, file), text);
      const result = await runCli(['validate', '--config', file], { cwd: dir });
      expect(result.code, file).toBe(2);
      expect(result.stderr, file).toMatch(/^error\[[A-Z_]+\]: /);
      expect(result.stderr, file).toContain(file);
      expect(result.stderr, file).toContain('fix:');
      expect(result.stderr, file).not.toMatch(/\n\s+at .+\(.+:\d+:\d+\)/);
    }
    const missing = await runCli(['validate', '--config', 'missing.yaml'], { cwd: dir });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('config file not found');
    expect(await readFile(join(dir, 'secret.yaml'), 'utf8')).toContain('p4ssw0rd');
    const secret = await runCli(['validate', '--config', 'secret.yaml'], { cwd: dir });
    expect(secret.stderr).not.toContain('p4ssw0rd');
  });
});
