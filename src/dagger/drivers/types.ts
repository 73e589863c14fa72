import type { Directory, Secret, Service } from '@dagger.io/dagger';
import type { Component, Environment } from '../../core/config/schema.ts';
import type { DeployImage } from '../../core/deploy/policy.ts';

export type { DeployImage };

/** A Kubernetes cluster the tools reach: a kubeconfig secret, plus the service when it runs in the engine. */
export interface Cluster {
  /** The kubeconfig, mounted into tool containers as a secret file. */
  kubeconfig: Secret;
  /** The embedded k3s service, bound into tool containers under its host name. */
  service?: Service | undefined;
}

/**
 * One image to deploy, addressed by digest only. `ref` is the one reference that was verified and approved;
 * a driver that needs the repository or the digest derives them with `parseImageRef(ref)` (src/core/image-ref.ts).
 */

/** What a deploy driver is asked to do. */
export interface DeployRequest {
  /** Environment name, e.g. `staging`. */
  environment: string;
  /** The environment's settings from gantry.yaml. */
  settings: Environment;
  /** Namespace to deploy into. */
  namespace: string;
  /** The images, by digest. */
  images: DeployImage[];
  /** A component's source directory (its kustomize overlay or chart lives there). */
  source(component: Component): Directory;
  /**
   * A folder of the repository, by its path relative to the repository root (normalized, never leading out
   * of it): what a kustomize overlay outside its component folder is applied from.
   */
  repo?(path: string): Directory;
  /** The cluster (kubernetes and helm drivers). */
  cluster?: Cluster | undefined;
  /** Run id, written into GitOps commits. */
  runId: string;
  /** Unique per deploy attempt: keeps Dagger from answering cluster-changing commands from its cache. */
  deployId: string;
  /** Writes a progress line. */
  log(line: string): void;
}

/** How a deployment ended. A driver that rolled back reports it here; the stage then fails. */
export interface DeployOutcome {
  result: 'deployed' | 'rolled-back' | 'failed';
  /** Namespace, release or repository file deployed to. */
  target: string;
  url?: string | undefined;
  /** Why it rolled back or failed. */
  message?: string | undefined;
}

/** One way to deploy digests to an environment. */
export interface DeployDriver {
  readonly name: Environment['driver'];
  deploy(request: DeployRequest): Promise<DeployOutcome>;
}
