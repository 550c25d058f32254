/**
 * Adds a plain, typed Kubernetes object to a cdk8s scope. We use cdk8s for composition, naming
 * and synthesis, with the kubernetes-models types for the shapes, and not cdk8s-plus, whose
 * defaults (replicas, pull policy, path-derived selectors) fight an operator.
 */
import { ApiObject } from 'cdk8s';
import type { Construct } from 'constructs';

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [field: string]: unknown;
}

export function emit<T extends { apiVersion: string; kind: string; metadata?: { name?: string } }>(
  scope: Construct,
  object: T,
): ApiObject {
  const name = object.metadata?.name;
  if (!name) throw new Error(`${object.kind} needs metadata.name`);
  return new ApiObject(
    scope,
    `${object.kind}-${name}`,
    object as unknown as ConstructorParameters<typeof ApiObject>[2],
  );
}
