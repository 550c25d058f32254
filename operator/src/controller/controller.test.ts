import type { AddressInfo } from 'node:net';
import { SERVICES } from '@storefront/contracts';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeApiServer } from '../kube/fake/fake-api-server.ts';
import type { ReconcileResult } from '../reconcile/reconciler.ts';
import {
  BASE_SPEC,
  conditionsOf,
  finishJobs,
  markStoresReady,
  NAME,
  NAMESPACE,
  rollOutDeployments,
  storefrontObject,
} from '../testing/cluster.ts';
import { Controller } from './controller.ts';
import { MemoryEventRecorder } from './events.ts';
import { startHealthServer } from './health-server.ts';
import { LeaderElector } from './leader-election.ts';
import { createMetrics } from './metrics.ts';
import { WorkQueue } from './work-queue.ts';

const until = async (check: () => boolean, ms = 5000) => {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
};

const stoppers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const stop of stoppers.splice(0)) await stop();
});

function startController(api: FakeApiServer) {
  const outcomes: (ReconcileResult | Error)[] = [];
  const metrics = createMetrics();
  const controller = new Controller({
    client: api,
    events: new MemoryEventRecorder(),
    metrics,
    queue: new WorkQueue({ baseDelayMs: 5 }),
    informer: { backoffBaseMs: 5 },
    onReconciled: (_key, result) => outcomes.push(result),
  });
  stoppers.push(() => controller.stop());
  return { controller, metrics, outcomes };
}

describe('Controller', () => {
  it('drives a Storefront to Ready from watch events alone, then repairs a deleted object', async () => {
    const api = new FakeApiServer();
    await api.create(storefrontObject(BASE_SPEC));
    const { controller } = startController(api);
    await controller.start();
    expect(controller.synced).toBe(true);

    await until(() => api.all('StatefulSet').length === 3);
    markStoresReady(api);
    await until(() => api.all('Job').length === 1);
    finishJobs(api);
    await until(() => api.all('Deployment').length === SERVICES.length);
    rollOutDeployments(api);
    await until(() => conditionsOf(api).Ready === 'True/Ready');

    await api.delete({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: NAMESPACE, name: 'shop-cart' });
    await until(() => api.peek('Deployment', NAMESPACE, 'shop-cart') !== undefined);
  });

  it('retries an API error and a status conflict with backoff and counts the errors', async () => {
    const api = new FakeApiServer();
    await api.create(storefrontObject(BASE_SPEC));
    api.failNext({ verb: 'apply', code: 500 });
    api.failNext({ verb: 'applyStatus', code: 409 });
    const { controller, metrics, outcomes } = startController(api);
    await controller.start();
    await until(() => outcomes.some((o) => !(o instanceof Error)));
    expect(outcomes.slice(0, 2).map((o) => o instanceof Error)).toEqual([true, true]);
    const errors = await metrics.registry.getSingleMetricAsString('controller_runtime_reconcile_errors_total');
    expect(errors).toContain('controller_runtime_reconcile_errors_total{controller="storefront"} 2');
    expect(controller.queue.retries(`${NAMESPACE}/${NAME}`)).toBe(0);
  });

  it('stops reconciling when leadership is lost', async () => {
    const api = new FakeApiServer();
    await api.create(storefrontObject(BASE_SPEC));
    const { controller, outcomes } = startController(api);
    const elector = new LeaderElector({
      client: api,
      namespace: 'ops',
      name: 'storefront-operator',
      identity: 'me',
      leaseDurationMs: 200,
      renewDeadlineMs: 60,
      retryPeriodMs: 20,
      onStartedLeading: () => void controller.start(),
      onStoppedLeading: () => void controller.stop(),
    });
    stoppers.push(() => elector.stop());
    elector.start();
    await until(() => outcomes.length > 0);

    api.edit('Lease', 'ops', 'storefront-operator', (lease) => {
      Object.assign(lease.spec as object, {
        holderIdentity: 'other',
        renewTime: new Date(Date.now() + 60_000).toISOString(),
      });
    });
    await until(() => !elector.isLeader);
    await new Promise((r) => setTimeout(r, 50));
    const reconciles = outcomes.length;
    api.edit('Storefront', NAMESPACE, NAME, (o) => {
      (o.spec as { version: string }).version = '9.9.9';
    });
    markStoresReady(api);
    await new Promise((r) => setTimeout(r, 200));
    expect(outcomes.length).toBe(reconciles);
  });

  it('serves controller metrics, /healthz and /readyz', async () => {
    const { metrics } = startController(new FakeApiServer());
    metrics.reconcileTotal.inc({ controller: 'storefront', result: 'success' });
    let ready = false;
    const server = await startHealthServer(0, metrics.registry, { live: () => true, ready: () => ready });
    stoppers.push(() => new Promise((resolve) => server.close(() => resolve())));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    expect(await (await fetch(`${base}/metrics`)).text()).toContain(
      'controller_runtime_reconcile_total{controller="storefront",result="success"} 1',
    );
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect((await fetch(`${base}/readyz`)).status).toBe(503);
    ready = true;
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
  });
});
