import { afterEach, describe, expect, it } from 'vitest';
import { FakeApiServer } from './fake/fake-api-server.ts';
import { Informer, type InformerEventType } from './informer.ts';
import { ApiError } from './types.ts';

const cm = (name: string, labels: Record<string, string> = { team: 'shop' }) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'ns', labels },
  data: {},
});
const until = async (check: () => boolean, ms = 2000) => {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
};

let informer: Informer | undefined;
afterEach(() => informer?.stop());

function start(api: FakeApiServer, options: Partial<ConstructorParameters<typeof Informer>[1]> = {}) {
  const seen: string[] = [];
  informer = new Informer(
    api,
    { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'ns', labelSelector: 'team=shop', backoffBaseMs: 5, ...options },
    (type: InformerEventType, o) => seen.push(`${type}:${o.metadata.name}`),
  );
  return { seen, synced: informer.start() };
}

describe('Informer', () => {
  it('lists, then streams label-filtered watch events', async () => {
    const api = new FakeApiServer();
    await api.create(cm('existing'));
    const { seen, synced } = start(api);
    await synced;
    expect(seen).toEqual(['SYNC:existing']);
    await api.create(cm('new'));
    await api.create(cm('other-team', { team: 'ops' }));
    await api.delete({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'ns', name: 'existing' });
    await until(() => seen.length === 3);
    expect(seen).toEqual(['SYNC:existing', 'ADDED:new', 'DELETED:existing']);
  });

  it('restarts after a watch error with backoff and relists', async () => {
    const api = new FakeApiServer();
    await api.create(cm('a'));
    const { seen, synced } = start(api);
    await synced;
    api.breakWatches(new ApiError(500, 'InternalError', 'connection reset'));
    await until(() => seen.filter((s) => s === 'SYNC:a').length === 2);
    expect(informer?.restarts).toBe(1);
  });

  it('keeps retrying while listing fails', async () => {
    const api = new FakeApiServer();
    api.failNext({ verb: 'list', code: 503, times: 3 });
    const { synced } = start(api);
    await synced;
    expect(informer?.restarts).toBe(3);
  });

  it('relists at once after 410 Gone without counting a failure', async () => {
    const api = new FakeApiServer();
    await api.create(cm('a'));
    const { seen, synced } = start(api);
    await synced;
    api.breakWatches(new ApiError(410, 'Expired', 'too old resource version'));
    await until(() => seen.length === 2);
    expect(informer?.restarts).toBe(0);
  });

  it('restarts a silent watch (watchdog) and resyncs periodically', async () => {
    const api = new FakeApiServer();
    await api.create(cm('a'));
    const { seen, synced } = start(api, { watchdogMs: 30, resyncMs: 10_000 });
    await synced;
    await until(() => (informer?.restarts ?? 0) >= 1);
    informer?.stop();
    const resync = start(api, { watchdogMs: 10_000, resyncMs: 20 });
    await resync.synced;
    await until(() => resync.seen.length >= 3);
    expect(seen[0]).toBe('SYNC:a');
    expect(informer?.restarts).toBe(0);
  });
});
