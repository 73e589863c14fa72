import { basename } from 'node:path';
import { isMap, isSeq, parseDocument, type YAMLMap } from 'yaml';
import { InputError } from '../errors.ts';

/** The image to write: repository and digest (never a tag). */
export interface ImagePin {
  /** Image name to match: the kustomization `images[].name`. */
  name: string;
  /** Repository to pull from, e.g. `ghcr.io/acme/hello-api`. */
  repository: string;
  /** `sha256:<64 hex>`. */
  digest: string;
}

/** The kind of file an image digest is written into. */
export type ImageFileKind = 'kustomization' | 'helm-values';

/** `kustomization` for kustomization.yaml/.yml/Kustomization, `helm-values` for any other YAML file. */
export function imageFileKind(file: string): ImageFileKind {
  return /^(kustomization\.ya?ml|Kustomization)$/.test(basename(file)) ? 'kustomization' : 'helm-values';
}

function parse(text: string, file: string) {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) {
    throw new InputError('YAML_INVALID', `${file} is not valid YAML: ${doc.errors[0]?.message ?? ''}`, {
      hint: 'fix the file in the repository, then deploy again',
    });
  }
  return doc;
}

/**
 * Pins an image by digest in a kustomization: the `images:` entry whose `name` matches gets `newName` and
 * `digest` (its `newTag` is removed); one is appended when none matches. Comments and formatting are kept.
 */
export function pinKustomizationImage(text: string, pin: ImagePin, file = 'kustomization.yaml'): string {
  const doc = parse(text, file);
  let images = doc.get('images', true);
  if (images === undefined || images === null) {
    doc.set('images', doc.createNode([]));
    images = doc.get('images', true);
  }
  if (!isSeq(images)) {
    throw new InputError('KUSTOMIZATION_INVALID', `${file}: images is not a list`, {
      hint: 'write images as a list of { name, newName, digest } entries',
    });
  }
  const entry = images.items.find((item): item is YAMLMap => isMap(item) && item.get('name') === pin.name);
  if (entry) {
    entry.set('newName', pin.repository);
    entry.delete('newTag');
    entry.set('digest', pin.digest);
  } else {
    images.add(doc.createNode({ name: pin.name, newName: pin.repository, digest: pin.digest }));
  }
  return doc.toString();
}

/**
 * Pins an image by digest in a Helm values file: `<key>.repository` and `<key>.digest` are set (created if
 * missing); `<key>.tag` is left alone, as charts that support `digest` use it over the tag.
 */
export function pinHelmValuesImage(
  text: string,
  pin: ImagePin,
  key: readonly string[] = ['image'],
  file = 'values.yaml',
): string {
  const doc = parse(text, file);
  const parent = key.length > 0 ? doc.getIn(key, true) : doc.contents;
  if (parent !== undefined && parent !== null && !isMap(parent)) {
    throw new InputError('VALUES_INVALID', `${file}: ${key.join('.')} is not a mapping`, {
      hint: `write ${key.join('.')} as { repository, digest }`,
    });
  }
  doc.setIn([...key, 'repository'], pin.repository);
  doc.setIn([...key, 'digest'], pin.digest);
  return doc.toString();
}

/** Pins an image in a kustomization or Helm values file, told apart by the file name. */
export function pinImage(file: string, text: string, pin: ImagePin, valuesKey?: readonly string[]): string {
  return imageFileKind(file) === 'kustomization'
    ? pinKustomizationImage(text, pin, file)
    : pinHelmValuesImage(text, pin, valuesKey, file);
}

/** The `namespace` a kustomization sets, if any. */
export function kustomizationNamespace(text: string): string | undefined {
  const value = parseDocument(text).get('namespace');
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/** Sets the `namespace` of a kustomization, keeping comments and formatting. */
export function setKustomizationNamespace(
  text: string,
  namespace: string,
  file = 'kustomization.yaml',
): string {
  const doc = parse(text, file);
  doc.set('namespace', namespace);
  return doc.toString();
}
