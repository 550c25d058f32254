/**
 * Offline validation of manifests, for tests: the official OpenAPI schemas (kubernetes-models)
 * catch wrong types and missing required fields but accept unknown fields, so each object also
 * goes through a round trip in @kubernetes/client-node's models, which drops unknown fields: any
 * difference is a field the API server would reject under strict field validation.
 */

import { isDeepStrictEqual } from 'node:util';
import { dumpYaml, loadYaml } from '@kubernetes/client-node';
import { CustomResourceDefinition } from 'kubernetes-models/apiextensions.k8s.io/v1';
import { Deployment, StatefulSet } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { Job } from 'kubernetes-models/batch/v1';
import { Lease } from 'kubernetes-models/coordination.k8s.io/v1';
import { Ingress, NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { ClusterRole, ClusterRoleBinding, Role, RoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1';
import { ConfigMap, Pod, Secret, Service, ServiceAccount } from 'kubernetes-models/v1';
import { parse, stringify } from 'yaml';

type Validator = new (data: never) => { validate(): void };
const MODELS: Record<string, Validator> = {
  'apiextensions.k8s.io/v1/CustomResourceDefinition': CustomResourceDefinition,
  'apps/v1/Deployment': Deployment,
  'apps/v1/StatefulSet': StatefulSet,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'batch/v1/Job': Job,
  'coordination.k8s.io/v1/Lease': Lease,
  'networking.k8s.io/v1/Ingress': Ingress,
  'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'rbac.authorization.k8s.io/v1/ClusterRole': ClusterRole,
  'rbac.authorization.k8s.io/v1/ClusterRoleBinding': ClusterRoleBinding,
  'rbac.authorization.k8s.io/v1/Role': Role,
  'rbac.authorization.k8s.io/v1/RoleBinding': RoleBinding,
  'v1/ConfigMap': ConfigMap,
  'v1/Pod': Pod,
  'v1/Secret': Secret,
  'v1/Service': Service,
  'v1/ServiceAccount': ServiceAccount,
};

/** Kinds validated elsewhere (our CRD's own schema, Prometheus Operator kinds). */
const CUSTOM_KINDS = new Set([
  'monitoring.coreos.com/v1/ServiceMonitor',
  'monitoring.coreos.com/v1/PrometheusRule',
  'storefront.dev/v1alpha1/Storefront',
]);

interface Manifest {
  apiVersion: string;
  kind: string;
  metadata?: { name?: string };
}

/** Paths present in `original` but missing from `roundTripped`. */
function droppedFields(original: unknown, roundTripped: unknown, path = ''): string[] {
  if (Array.isArray(original)) {
    const other = Array.isArray(roundTripped) ? roundTripped : [];
    return original.flatMap((item, i) => droppedFields(item, other[i], `${path}[${i}]`));
  }
  if (original && typeof original === 'object') {
    const other = (roundTripped && typeof roundTripped === 'object' ? roundTripped : {}) as Record<string, unknown>;
    return Object.entries(original).flatMap(([key, value]) =>
      key in other ? droppedFields(value, other[key], `${path}.${key}`) : [`${path}.${key}`],
    );
  }
  return [];
}

/** Throws with the problem found (schema violation or unknown field). */
export function validateManifest(object: Manifest): void {
  const key = `${object.apiVersion}/${object.kind}`;
  const where = `${object.kind}/${object.metadata?.name ?? '?'}`;
  if (CUSTOM_KINDS.has(key)) return;
  const Model = MODELS[key];
  if (!Model) throw new Error(`${where}: no schema registered for ${key}`);
  try {
    new Model(object as never).validate();
  } catch (error) {
    throw new Error(`${where}: ${(error as Error).message}`);
  }
  const roundTripped = parse(dumpYaml(loadYaml(stringify(object))));
  if (!isDeepStrictEqual(roundTripped, JSON.parse(JSON.stringify(object)))) {
    const dropped = droppedFields(object, roundTripped);
    if (dropped.length) throw new Error(`${where}: unknown fields ${dropped.join(', ')}`);
  }
}

export function validateManifests(objects: readonly Manifest[]): void {
  const problems: string[] = [];
  for (const object of objects) {
    try {
      validateManifest(object);
    } catch (error) {
      problems.push((error as Error).message);
    }
  }
  if (problems.length) throw new Error(problems.join('\n'));
}
