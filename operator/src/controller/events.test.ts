import { describe, expect, it } from 'vitest';
import { FakeApiServer } from '../kube/fake/fake-api-server.ts';
import { KubeEventRecorder } from './events.ts';

describe('KubeEventRecorder', () => {
  const owner = {
    apiVersion: 'storefront.dev/v1alpha1',
    kind: 'Storefront',
    metadata: { name: 'shop', namespace: 'ns', uid: 'u1' },
  };

  it('creates a core/v1 Event about the object, and drops repeats for five minutes', async () => {
    const api = new FakeApiServer();
    let now = new Date('2025-01-01T00:00:00Z');
    const recorder = new KubeEventRecorder(api, 'operator-0', () => now);
    await recorder.record(owner, 'Normal', 'MigrationStarted', 'Job shop-migrate-abc');
    await recorder.record(owner, 'Normal', 'MigrationStarted', 'Job shop-migrate-abc');
    expect(api.all('Event')).toHaveLength(1);
    expect(api.all('Event')[0]).toMatchObject({
      metadata: { namespace: 'ns' },
      involvedObject: { kind: 'Storefront', name: 'shop', uid: 'u1' },
      type: 'Normal',
      reason: 'MigrationStarted',
      source: { component: 'storefront-operator', host: 'operator-0' },
      firstTimestamp: '2025-01-01T00:00:00Z',
    });
    now = new Date('2025-01-01T00:06:00Z');
    await recorder.record(owner, 'Normal', 'MigrationStarted', 'Job shop-migrate-abc');
    expect(api.all('Event')).toHaveLength(2);
  });

  it('never fails the caller when the API refuses the Event', async () => {
    const api = new FakeApiServer();
    api.failNext({ verb: 'create', kind: 'Event', code: 403 });
    await expect(new KubeEventRecorder(api, 'x').record(owner, 'Warning', 'Degraded', 'm')).resolves.toBeUndefined();
  });
});
