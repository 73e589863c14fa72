/**
 * Every container image Gantry runs, pinned by version in one place so that an upgrade is one edit.
 * Digests are added where they have been verified against the registry; a tag alone is never `latest`.
 */
export const IMAGES = {
  // 22.14.0 is the first Node 22 with corepack 0.31.0, whose npm signing keys let it install current pnpm/yarn
  // (nodejs/corepack#612); tag listed in docker-library/official-images library/node at b46d40b2.
  node: 'node:22.14.0-alpine3.20',
  python: 'python:3.12.7-slim-bookworm',
  go: 'golang:1.23.3-bookworm',
  git: 'alpine/git:v2.45.2',
  trivy: 'aquasec/trivy:0.57.1',
  semgrep: 'semgrep/semgrep:1.96.0',
  cosign: 'gcr.io/projectsigstore/cosign:v2.4.1',
  registry: 'registry:2.8.3',
  k3s: 'rancher/k3s:v1.31.2-k3s1',
  // Official Kubernetes image (k8s PR #116672, published since v1.28): /bin/kubectl, root, /bin/sh, no curl.
  kubectl: 'registry.k8s.io/kubectl:v1.31.2',
  curl: 'curlimages/curl:8.11.0',
  argocd: 'quay.io/argoproj/argocd:v2.13.1',
  helm: 'alpine/helm:3.16.3',
} as const;

/** The name of one pinned image. */
export type ImageName = keyof typeof IMAGES;
