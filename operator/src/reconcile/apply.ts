/**
 * apply: server-side apply of every desired object that is not already in place, in order, with
 * our field manager and an owner reference to the Storefront (so deleting it garbage-collects
 * them). Objects marked retain (the credentials of retained data) get no owner reference.
 */
import { ANNOTATIONS, type KubeObject as Desired, FIELD_MANAGER } from '@storefront/cdk8s';
import { type KubeClient, type KubeObject, keyOf } from '../kube/types.ts';
import { isSubset } from './compare.ts';
import type { Observed } from './observe.ts';

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

export async function apply(client: KubeClient, objects: readonly Desired[], observed: Observed): Promise<Applied[]> {
  const { storefront, status } = observed;
  const specUnchanged = status.observedGeneration === storefront.metadata.generation;
  const applied: Applied[] = [];
  for (const desired of objects) {
    const object = withOwner(desired, storefront);
    const live = observed.owned.get(keyOf(object));
    if (live && isSubset(object, live)) continue;
    const result = await client.apply(object, FIELD_MANAGER);
    applied.push({ object: result, change: !live ? 'created' : specUnchanged ? 'repaired' : 'updated' });
  }
  return applied;
}
