/**
 * The API-server behaviour the fake reproduces because the reconciler depends on it: server-side
 * apply field ownership (fields a manager stops sending are removed), defaulting (so "desired ⊆ live"
 * is exercised), generation bumps on spec changes, label selectors.
 */
import { isDeepStrictEqual } from 'node:util';
import type { KubeObject } from '../types.ts';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
export const clone = <T>(v: T): T => structuredClone(v);

/** Kinds whose status is a subresource: apply/replace of the main resource ignore `status`. */
export const STATUS_KINDS = new Set([
  'Storefront',
  'Deployment',
  'StatefulSet',
  'Job',
  'HorizontalPodAutoscaler',
  'PodDisruptionBudget',
  'Service',
  'Ingress',
]);

/** Remove from `target` the fields `previous` (a manager's last apply) had and `next` no longer has. */
export function removeDropped(target: Json, previous: Json, next: Json): void {
  for (const [key, before] of Object.entries(previous)) {
    if (!(key in next)) delete target[key];
    else if (isObject(before) && isObject(next[key]) && isObject(target[key])) {
      removeDropped(target[key] as Json, before, next[key] as Json);
    }
  }
}

/** Objects merge field by field; lists and scalars are replaced (the fake treats lists as atomic). */
export function merge(target: Json, patch: Json): Json {
  for (const [key, value] of Object.entries(patch)) {
    if (isObject(value) && isObject(target[key])) merge(target[key] as Json, value);
    else target[key] = clone(value);
  }
  return target;
}

const withoutMetaAndStatus = (o: KubeObject) => {
  const { metadata: _m, status: _s, ...rest } = o;
  return rest;
};
export const specChanged = (a: KubeObject, b: KubeObject) =>
  !isDeepStrictEqual(withoutMetaAndStatus(a), withoutMetaAndStatus(b));

function defaultPodSpec(pod: Json | undefined): void {
  if (!pod) return;
  pod.restartPolicy ??= 'Always';
  pod.dnsPolicy ??= 'ClusterFirst';
  pod.schedulerName ??= 'default-scheduler';
  for (const c of (pod.containers as Json[] | undefined) ?? []) {
    c.terminationMessagePath ??= '/dev/termination-log';
    c.terminationMessagePolicy ??= 'File';
  }
}

let clusterIp = 10;
/** A few of the server's defaults, enough that live objects are a superset of what was applied. */
export function applyDefaults(o: KubeObject): void {
  const spec = o.spec as Json | undefined;
  if (!spec) return;
  const template = (spec.template as Json | undefined)?.spec as Json | undefined;
  switch (o.kind) {
    case 'Service':
      spec.type ??= 'ClusterIP';
      spec.sessionAffinity ??= 'None';
      spec.clusterIP ??= `10.96.0.${clusterIp++ % 250}`;
      break;
    case 'Deployment':
      spec.replicas ??= 1;
      spec.progressDeadlineSeconds ??= 600;
      defaultPodSpec(template);
      break;
    case 'StatefulSet':
      spec.updateStrategy ??= { type: 'RollingUpdate', rollingUpdate: { partition: 0 } };
      defaultPodSpec(template);
      break;
    case 'Job':
      spec.completions ??= 1;
      spec.parallelism ??= 1;
      spec.selector ??= { matchLabels: { 'batch.kubernetes.io/controller-uid': o.metadata.uid ?? '' } };
      defaultPodSpec(template);
      break;
  }
}

/** Equality-based selectors only (`a=b,c=d`): all the operator uses. */
export function matchesSelector(labels: Record<string, string> | undefined, selector: string | undefined): boolean {
  if (!selector) return true;
  return selector.split(',').every((term) => {
    const [key, value] = term.split('=');
    return key !== undefined && labels?.[key.trim()] === value?.trim();
  });
}
