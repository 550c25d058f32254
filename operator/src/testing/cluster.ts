/**
 * Test support: the controllers a real cluster runs (StatefulSet, Job, Deployment controllers and
 * kubelets) reduced to "mark it ready", on top of the fake API server.
 */
import type { FakeApiServer } from '../kube/fake/fake-api-server.ts';
import type { KubeObject } from '../kube/types.ts';

export const NAMESPACE = 'shop-ns';
export const NAME = 'shop';

export function storefrontObject(spec: Record<string, unknown>): KubeObject {
  return {
    apiVersion: 'storefront.dev/v1alpha1',
    kind: 'Storefront',
    metadata: { name: NAME, namespace: NAMESPACE },
    spec,
  };
}

export const BASE_SPEC = {
  image: 'registry.local/storefront',
  version: '1.0.0',
  services: { catalog: { autoscaling: { minReplicas: 2, maxReplicas: 4 } }, crm: { enabled: true } },
  nats: { managed: { replicas: 3 } },
};

/** Deterministic passwords; counts calls so tests can prove credentials are generated once. */
export function counter() {
  const state = { calls: 0 };
  return { state, random: () => `pw${++state.calls}` };
}

const replicasOf = (o: KubeObject) => (o.spec as { replicas?: number }).replicas ?? 1;

export function markStoresReady(api: FakeApiServer): void {
  for (const sts of api.all('StatefulSet')) {
    const n = replicasOf(sts);
    api.setStatus('StatefulSet', NAMESPACE, sts.metadata.name, { replicas: n, readyReplicas: n, availableReplicas: n });
  }
}

export function finishJobs(api: FakeApiServer, outcome: 'Complete' | 'Failed' = 'Complete'): void {
  for (const job of api.all('Job')) {
    if (job.status) continue;
    api.setStatus('Job', NAMESPACE, job.metadata.name, {
      ...(outcome === 'Complete' ? { succeeded: 1 } : { failed: 7 }),
      conditions: [{ type: outcome, status: 'True' }],
    });
  }
}

export function rollOutDeployments(api: FakeApiServer): void {
  for (const dep of api.all('Deployment')) {
    const n = replicasOf(dep);
    api.setStatus('Deployment', NAMESPACE, dep.metadata.name, {
      observedGeneration: dep.metadata.generation,
      replicas: n,
      updatedReplicas: n,
      readyReplicas: n,
      availableReplicas: n,
      conditions: [{ type: 'Available', status: 'True' }],
    });
  }
}

export function conditionsOf(api: FakeApiServer): Record<string, string> {
  const sf = api.peek('Storefront', NAMESPACE, NAME);
  const conditions =
    (sf?.status as { conditions?: { type: string; status: string; reason: string }[] } | undefined)?.conditions ?? [];
  return Object.fromEntries(conditions.map((c) => [c.type, `${c.status}/${c.reason}`]));
}
