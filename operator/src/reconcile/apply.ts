/**
 * apply: server-side apply of every desired object that is not already in place, in order, with
 * our field manager and an owner reference to the Storefront (so deleting it garbage-collects
 * them). Objects marked retain (the credentials of retained data) get no owner reference.
 */
import { ANNOTATIONS, type KubeObject as Desired, FIELD_MANAGER } from '@storefront/cdk8s';
import { type KubeClient, type KubeObject, keyOf } from '../kube/types.ts';
import { isSubset } from './compare.ts';
import type { Observed } from './observe.ts';

export interface ApplyOutcome {
  readonly applied: Applied[];
  /** Desired changes to immutable fields that were not applied. */
  readonly immutable: string[];
}

export interface Applied {
  readonly object: KubeObject;
  /** created: it did not exist; repaired: it existed and differed although the spec did not change. */
  readonly change: 'created' | 'updated' | 'repaired';
}

export function withOwner(object: Desired, owner: KubeObject): KubeObject {
  const out = structuredClone(object) as KubeObject;
  if (object.metadata.annotations?.[ANNOTATIONS.retain] === 'true') return out;
  out.metadata.ownerReferences = [
    {
      apiVersion: owner.apiVersion,
      kind: owner.kind,
      name: owner.metadata.name,
      uid: owner.metadata.uid ?? '',
      controller: true,
      blockOwnerDeletion: true,
    },
  ];
  return out;
}

/**
 * Fields the API server refuses to change keep their live value: a StatefulSet's claim templates
 * (PVC size is changed on the PVC itself), its serviceName, and every selector. Applying a new value
 * would fail every reconcile; `immutableChanges` reports them so an Event can say why nothing happened.
 */
const IMMUTABLE: Readonly<Record<string, readonly string[]>> = {
  StatefulSet: ['volumeClaimTemplates', 'serviceName', 'selector', 'podManagementPolicy'],
  Deployment: ['selector'],
};

export function keepImmutable(object: KubeObject, live: KubeObject | undefined): string[] {
  const fields = IMMUTABLE[object.kind];
  const spec = object.spec as Record<string, unknown> | undefined;
  const liveSpec = live?.spec as Record<string, unknown> | undefined;
  if (!fields || !spec || !liveSpec) return [];
  const changed: string[] = [];
  for (const field of fields) {
    if (!(field in liveSpec) || isSubset(spec[field], liveSpec[field])) continue;
    changed.push(`${object.kind}/${object.metadata.name} spec.${field}`);
    spec[field] = structuredClone(liveSpec[field]);
  }
  return changed;
}

export async function apply(
  client: KubeClient,
  objects: readonly Desired[],
  observed: Observed,
): Promise<ApplyOutcome> {
  const { storefront, status } = observed;
  const specUnchanged = status.observedGeneration === storefront.metadata.generation;
  const applied: Applied[] = [];
  const immutable: string[] = [];
  for (const desired of objects) {
    const object = withOwner(desired, storefront);
    const live = observed.owned.get(keyOf(object));
    for (const field of keepImmutable(object, live)) immutable.push(field);
    if (live && isSubset(object, live)) continue;
    const result = await client.apply(object, FIELD_MANAGER);
    applied.push({ object: result, change: !live ? 'created' : specUnchanged ? 'repaired' : 'updated' });
  }
  return { applied, immutable };
}
