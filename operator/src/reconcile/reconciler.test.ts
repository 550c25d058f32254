import { SERVICES } from '@storefront/contracts';
import { beforeEach, describe, expect, it } from 'vitest';
import { MemoryEventRecorder } from '../controller/events.ts';
import { FakeApiServer } from '../kube/fake/fake-api-server.ts';
import type { KubeObject } from '../kube/types.ts';
import {
  BASE_SPEC,
  conditionsOf,
  counter,
  finishJobs,
  markStoresReady,
  NAME,
  NAMESPACE,
  rollOutDeployments,
  storefrontObject,
} from '../testing/cluster.ts';
import { reconcile } from './reconciler.ts';

let api: FakeApiServer;
let events: MemoryEventRecorder;
let passwords: ReturnType<typeof counter>;
const run = () =>
  reconcile(
    { client: api, events, random: passwords.random, clock: () => new Date('2025-01-01T00:00:00Z') },
    NAMESPACE,
    NAME,
  );
type PodTemplate = { template: { spec: { containers: { image: string }[] } } };
const image = (dep: KubeObject | undefined) =>
  (dep?.spec as PodTemplate | undefined)?.template.spec.containers[0]?.image;
const names = (kind: string) => api.all(kind).map((o) => o.metadata.name);

/** Reconcile and play the cluster's part until the store is Ready. */
async function converge(): Promise<void> {
  for (let i = 0; i < 3; i++) {
    await run();
    markStoresReady(api);
    finishJobs(api);
    rollOutDeployments(api);
  }
  await run();
}

beforeEach(async () => {
  api = new FakeApiServer();
  events = new MemoryEventRecorder();
  passwords = counter();
  await api.create(storefrontObject(BASE_SPEC));
});

describe('first install', () => {
  it('rolls out in order: data plane, then the migration Job, then the services', async () => {
    await run();
    expect(names('StatefulSet').sort()).toEqual(['shop-nats', 'shop-postgres', 'shop-redis']);
    expect(names('Job')).toEqual([]);
    expect(names('Deployment')).toEqual([]);
    // Status reflects what was observed before this reconcile created the StatefulSets.
    expect(conditionsOf(api)).toMatchObject({
      DatabaseReady: 'False/Creating',
      Ready: 'False/Creating',
      Progressing: 'True/Creating',
    });
    await run();
    expect(conditionsOf(api)).toMatchObject({
      DatabaseReady: 'False/StatefulSetNotReady',
      MigrationsComplete: 'False/WaitingForDataPlane',
    });

    markStoresReady(api);
    await run();
    expect(names('Job')).toEqual([expect.stringMatching(/^shop-migrate-/)]);
    expect(names('Deployment')).toEqual([]);
    expect(conditionsOf(api)).toMatchObject({
      DatabaseReady: 'True/StatefulSetReady',
      MigrationsComplete: 'False/MigrationRunning',
    });
    expect(events.events.map((e) => e.reason)).toContain('MigrationStarted');

    finishJobs(api);
    await run();
    expect(names('Deployment')).toHaveLength(SERVICES.length);
    expect(conditionsOf(api)).toMatchObject({ MigrationsComplete: 'True/Migrated', Ready: 'False/RollingOut' });

    rollOutDeployments(api);
    const last = await run();
    expect(conditionsOf(api)).toMatchObject({
      Ready: 'True/Ready',
      Progressing: 'False/RolloutComplete',
      Degraded: 'False/AsExpected',
    });
    expect(last.requeueAfterMs).toBeUndefined();
    const status = api.peek('Storefront', NAMESPACE, NAME)?.status as Record<string, unknown>;
    expect(status).toMatchObject({
      version: '1.0.0',
      image: 'registry.local/storefront:1.0.0',
      readyServices: `${SERVICES.length}/${SERVICES.length}`,
      observedGeneration: 1,
    });
    expect(status.url).toBe('http://shop-gateway.shop-ns.svc:8080/');
    expect(status.services).toContainEqual({
      name: 'catalog',
      desiredReplicas: 1,
      readyReplicas: 1,
      updatedReplicas: 1,
    });
    expect(events.events.map((e) => e.reason)).toEqual(expect.arrayContaining(['MigrationComplete', 'Ready']));
  });

  it('owns every object through a controller reference, except the retained credentials', async () => {
    await converge();
    const uid = api.peek('Storefront', NAMESPACE, NAME)?.metadata.uid;
    for (const kind of [
      'Deployment',
      'Service',
      'StatefulSet',
      'NetworkPolicy',
      'ConfigMap',
      'HorizontalPodAutoscaler',
    ]) {
      for (const o of api.all(kind)) {
        expect(o.metadata.ownerReferences, `${kind}/${o.metadata.name}`).toEqual([
          expect.objectContaining({ uid, controller: true, blockOwnerDeletion: true }),
        ]);
      }
    }
    expect(api.peek('Secret', NAMESPACE, 'shop-credentials')?.metadata.ownerReferences).toBeUndefined();
  });
});

describe('steady state', () => {
  beforeEach(converge);

  it('writes nothing on a second reconcile, and generates credentials only once', async () => {
    const before = api.requests.length;
    const generated = passwords.state.calls;
    const result = await run();
    expect(api.writesSince(before)).toEqual([]);
    expect(result).toMatchObject({ applied: [], pruned: [], statusWritten: false });
    expect(passwords.state.calls).toBe(generated);
  });

  it('leaves replicas to the HPA: a scaled autoscaled Deployment is not drift', async () => {
    api.edit('Deployment', NAMESPACE, 'shop-catalog', (o) => {
      (o.spec as { replicas: number }).replicas = 4;
    });
    const before = api.requests.length;
    await run();
    expect(api.writesSince(before).filter((w) => w.kind === 'Deployment')).toEqual([]);
  });

  it('repairs an edited object and recreates a deleted one', async () => {
    api.edit('Deployment', NAMESPACE, 'shop-cart', (o) => {
      const [container] = (o.spec as PodTemplate).template.spec.containers;
      if (container) container.image = 'evil:latest';
    });
    await api.delete({ apiVersion: 'v1', kind: 'Service', namespace: NAMESPACE, name: 'shop-orders' });
    await api.delete({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      namespace: NAMESPACE,
      name: 'shop-netpol-default-deny',
    });
    const result = await run();
    expect(image(api.peek('Deployment', NAMESPACE, 'shop-cart'))).toBe('registry.local/storefront:1.0.0');
    expect(api.peek('Service', NAMESPACE, 'shop-orders')).toBeDefined();
    expect(api.peek('NetworkPolicy', NAMESPACE, 'shop-netpol-default-deny')).toBeDefined();
    expect(result.applied.map((a) => `${a.change}:${a.object.kind}/${a.object.metadata.name}`).sort()).toEqual([
      'created:NetworkPolicy/shop-netpol-default-deny',
      'created:Service/shop-orders',
      'repaired:Deployment/shop-cart',
    ]);
    expect(events.events.filter((e) => e.reason === 'DriftRepaired').map((e) => e.message)).toEqual([
      expect.stringContaining('Deployment/shop-cart'),
    ]);
  });

  it('keeps immutable StatefulSet fields and says so instead of failing every reconcile', async () => {
    api.edit('Storefront', NAMESPACE, NAME, (o) => {
      (o.spec as Record<string, unknown>).postgres = { managed: { storage: '50Gi' } };
    });
    const before = api.requests.length;
    await run();
    type Claims = { volumeClaimTemplates: { spec: { resources: { requests: { storage: string } } } }[] };
    const sts = api.peek('StatefulSet', NAMESPACE, 'shop-postgres')?.spec as Claims | undefined;
    expect(sts?.volumeClaimTemplates[0]?.spec.resources.requests.storage).toBe('5Gi');
    expect(api.writesSince(before).filter((w) => w.kind === 'StatefulSet')).toEqual([]);
    expect(events.events).toContainEqual(expect.objectContaining({ type: 'Warning', reason: 'ImmutableFieldChanged' }));
  });

  it('prunes a service that was disabled', async () => {
    api.edit('Storefront', NAMESPACE, NAME, (o) => {
      (o.spec as typeof BASE_SPEC).services.crm = { enabled: false };
    });
    const result = await run();
    expect(names('Deployment')).not.toContain('shop-crm');
    expect(result.pruned.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(
      expect.arrayContaining([
        'Deployment/shop-crm',
        'Service/shop-crm',
        'ServiceAccount/shop-crm',
        'NetworkPolicy/shop-netpol-crm',
      ]),
    );
  });
});

describe('upgrade', () => {
  beforeEach(converge);
  const bump = (version: string) =>
    api.edit('Storefront', NAMESPACE, NAME, (o) => {
      (o.spec as { version: string }).version = version;
    });

  it('runs the new migration Job before rolling the services to the new version', async () => {
    const oldJob = names('Job')[0];
    bump('1.1.0');
    await run();
    const jobs = names('Job');
    // The finished Job of the old release goes; the new one runs.
    expect(jobs).toEqual([expect.stringMatching(/^shop-migrate-/)]);
    expect(jobs).not.toContain(oldJob);
    expect(image(api.peek('Deployment', NAMESPACE, 'shop-cart'))).toBe('registry.local/storefront:1.0.0');
    expect(conditionsOf(api)).toMatchObject({
      MigrationsComplete: 'False/MigrationRunning',
      Ready: 'False/MigrationRunning',
    });

    finishJobs(api);
    await run();
    expect(image(api.peek('Deployment', NAMESPACE, 'shop-cart'))).toBe('registry.local/storefront:1.1.0');
    expect(names('Job')).toEqual(jobs);
    expect(conditionsOf(api)).toMatchObject({ MigrationsComplete: 'True/Migrated', Progressing: 'True/RollingOut' });

    rollOutDeployments(api);
    await run();
    expect(conditionsOf(api)).toMatchObject({ Ready: 'True/Ready' });
    expect(api.peek('Storefront', NAMESPACE, NAME)?.status).toMatchObject({ version: '1.1.0', observedGeneration: 2 });
  });

  it('keeps the old version running and reports Degraded when the migration fails', async () => {
    bump('2.0.0');
    await run();
    finishJobs(api, 'Failed');
    await run();
    expect(image(api.peek('Deployment', NAMESPACE, 'shop-cart'))).toBe('registry.local/storefront:1.0.0');
    expect(conditionsOf(api)).toMatchObject({
      Degraded: 'True/MigrationFailed',
      MigrationsComplete: 'False/MigrationFailed',
    });
    expect(events.events.map((e) => e.reason)).toContain('MigrationFailed');
  });
});

describe('errors and edge cases', () => {
  it('surfaces a status conflict so the key is retried', async () => {
    api.failNext({ verb: 'applyStatus', code: 409 });
    await expect(run()).rejects.toMatchObject({ code: 409 });
    await expect(run()).resolves.toMatchObject({ statusWritten: true });
  });

  it('surfaces an API error during apply and recovers on the next attempt', async () => {
    api.failNext({ verb: 'apply', kind: 'StatefulSet', code: 500 });
    await expect(run()).rejects.toMatchObject({ code: 500 });
    await run();
    expect(names('StatefulSet')).toHaveLength(3);
  });

  it('rejects an invalid spec with a Warning event and writes nothing', async () => {
    api.edit('Storefront', NAMESPACE, NAME, (o) => {
      (o.spec as Record<string, unknown>).services = { catalog: { autoscaling: { minReplicas: 5, maxReplicas: 2 } } };
    });
    const before = api.requests.length;
    await run();
    expect(api.writesSince(before)).toEqual([]);
    expect(events.events).toContainEqual(expect.objectContaining({ type: 'Warning', reason: 'InvalidSpec' }));
  });

  it('does nothing while suspended', async () => {
    api.edit('Storefront', NAMESPACE, NAME, (o) => {
      (o.spec as Record<string, unknown>).suspend = true;
    });
    const before = api.requests.length;
    await run();
    expect(api.writesSince(before)).toEqual([]);
  });

  it('deletes owned objects with the Storefront but keeps the credentials of the retained data', async () => {
    await converge();
    await api.delete({ apiVersion: 'storefront.dev/v1alpha1', kind: 'Storefront', namespace: NAMESPACE, name: NAME });
    expect(api.all('Deployment')).toEqual([]);
    expect(api.all('StatefulSet')).toEqual([]);
    expect(names('Secret')).toEqual(['shop-credentials']);
    await expect(run()).resolves.toMatchObject({ applied: [], gone: true });
  });

  it('works without the Prometheus Operator CRDs installed', async () => {
    api.unservedKinds.add('ServiceMonitor');
    await converge();
    expect(conditionsOf(api).Ready).toBe('True/Ready');
  });
});
