/**
 * prune: delete what this Storefront controls but no longer wants (a disabled service, an HPA
 * replaced by fixed replicas, the Job of an older release). Never the retained credentials, and
 * never the finished Job of the current release, kept for its logs until its TTL removes it.
 */
import { ANNOTATIONS, type KubeObject as Desired, LABELS } from '@storefront/cdk8s';
import { type KubeClient, type KubeObject, keyOf, refOf } from '../kube/types.ts';
import type { Observed } from './observe.ts';

export async function prune(
  client: KubeClient,
  objects: readonly Desired[],
  observed: Observed,
): Promise<KubeObject[]> {
  const wanted = new Set(objects.map(keyOf));
  const pruned: KubeObject[] = [];
  for (const [key, live] of observed.owned) {
    if (wanted.has(key)) continue;
    if (live.metadata.annotations?.[ANNOTATIONS.retain] === 'true') continue;
    if (live.kind === 'Job' && live.metadata.labels?.[LABELS.revision] === observed.release.revision) continue;
    if (await client.delete(refOf(live))) pruned.push(live);
  }
  return pruned;
}
