import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  imageFileKind,
  pinHelmValuesImage,
  pinImage,
  pinKustomizationImage,
} from '../../../src/core/deploy/gitops-edit.ts';
import { InputError } from '../../../src/core/errors.ts';

const root = join(import.meta.dirname, '../../..');
const digest = `sha256:${'ab'.repeat(32)}`;
const pin = { name: 'hello-api', repository: 'ghcr.io/acme/hello-api', digest };

/** Comment lines of a YAML text, trimmed. */
const comments = (text: string) =>
  text
    .split('\n')
    .map((line) => line.replace(/^[^#]*?(#.*)$/, '$1').trim())
    .filter((line) => line.startsWith('#'));

describe('pinKustomizationImage on the example kustomization', () => {
  it('sets newName and digest, drops newTag, and keeps every comment and the other fields', async () => {
    const file = join(root, 'examples/hello-api/k8s/base/kustomization.yaml');
    const text = await readFile(file, 'utf8');
    const edited = pinKustomizationImage(text, pin);
    expect(parse(edited)).toEqual({
      ...parse(text),
      images: [{ name: 'hello-api', newName: 'ghcr.io/acme/hello-api', digest }],
    });
    expect(comments(edited)).toEqual(comments(text));
    expect(comments(text).length).toBeGreaterThan(0);
    // Only the image entry's lines changed.
    const removed = text.split('\n').filter((line) => !edited.split('\n').includes(line));
    expect(removed).toEqual(['    newName: hello-api', '    newTag: dev']);
  });

  it('appends an entry to a kustomization without images, and is idempotent', async () => {
    const file = join(root, 'examples/hello-api/k8s/overlays/staging/kustomization.yaml');
    const text = await readFile(file, 'utf8');
    const once = pinKustomizationImage(text, pin);
    expect(parse(once).images).toEqual([{ name: 'hello-api', newName: pin.repository, digest }]);
    expect(parse(once).namespace).toBe('hello-api-staging');
    expect(pinKustomizationImage(once, pin)).toBe(once);
  });

  it('leaves other images alone', () => {
    const text =
      'images:\n  - name: sidecar # keep me\n    newTag: "2"\n  - name: hello-api\n    newTag: dev\n';
    const edited = pinKustomizationImage(text, pin);
    expect(parse(edited).images).toEqual([
      { name: 'sidecar', newTag: '2' },
      { name: 'hello-api', newName: pin.repository, digest },
    ]);
    expect(edited).toContain('# keep me');
  });

  it('refuses images that are not a list, and invalid YAML, as input errors', () => {
    expect(() => pinKustomizationImage('images: hello\n', pin)).toThrow(InputError);
    expect(() => pinKustomizationImage('images: [\n', pin)).toThrow(/not valid YAML/);
  });
});

describe('pinHelmValuesImage', () => {
  it('sets image.repository and image.digest, keeping comments, order and the tag', async () => {
    const text = await readFile(join(import.meta.dirname, 'fixtures/values.yaml'), 'utf8');
    const edited = pinHelmValuesImage(text, { ...pin, repository: 'registry.example/acme/hello-api' });
    const before = parse(text);
    expect(parse(edited)).toEqual({
      ...before,
      image: { ...before.image, repository: 'registry.example/acme/hello-api', digest },
    });
    expect(comments(edited)).toEqual(comments(text));
    expect(edited).toContain('port: 80 # the Service port; the container listens on 8080');
    expect(Object.keys(parse(edited))).toEqual(Object.keys(before));
  });

  it('writes under another key and creates it when missing', () => {
    const edited = pinHelmValuesImage('# top\nreplicaCount: 1\n', pin, ['api', 'image']);
    expect(parse(edited)).toEqual({
      replicaCount: 1,
      api: { image: { repository: pin.repository, digest } },
    });
    expect(edited.startsWith('# top\n')).toBe(true);
  });

  it('refuses a key that is not a mapping', () => {
    expect(() => pinHelmValuesImage('image: nginx:1.27\n', pin)).toThrow(/image is not a mapping/);
  });
});

describe('pinImage', () => {
  it('tells a kustomization from a values file by name', () => {
    expect(imageFileKind('apps/hello/kustomization.yaml')).toBe('kustomization');
    expect(imageFileKind('Kustomization')).toBe('kustomization');
    expect(imageFileKind('apps/hello/values-prod.yaml')).toBe('helm-values');
    expect(parse(pinImage('a/kustomization.yml', '', pin)).images).toHaveLength(1);
    expect(parse(pinImage('a/values.yaml', '', pin)).image.digest).toBe(digest);
  });
});
