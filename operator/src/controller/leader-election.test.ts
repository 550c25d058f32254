import { afterEach, describe, expect, it } from 'vitest';
import { FakeApiServer } from '../kube/fake/fake-api-server.ts';
import { LeaderElector, microTime } from './leader-election.ts';

const until = async (check: () => boolean, ms = 3000) => {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
};
type LeaseSpec = { holderIdentity?: string; renewTime?: string; leaseTransitions?: number };
const leaseOf = (api: FakeApiServer) => api.peek('Lease', 'ops', 'storefront-operator')?.spec as LeaseSpec | undefined;
const electors: LeaderElector[] = [];
afterEach(async () => {
  for (const e of electors.splice(0)) await e.stop();
});

function candidate(
  api: FakeApiServer,
  identity: string,
  log: string[],
  timing = { leaseDurationMs: 200, renewDeadlineMs: 100, retryPeriodMs: 20 },
) {
  const e = new LeaderElector({
    client: api,
    namespace: 'ops',
    name: 'storefront-operator',
    identity,
    ...timing,
    onStartedLeading: () => log.push(`${identity} leads`),
    onStoppedLeading: () => log.push(`${identity} lost`),
  });
  electors.push(e);
  return e;
}

describe('LeaderElector', () => {
  it('formats MicroTime with six fractional digits', () => {
    expect(microTime(new Date('2025-01-02T03:04:05.678Z'))).toBe('2025-01-02T03:04:05.678000Z');
  });

  it('elects exactly one of two candidates and records it in the Lease', async () => {
    const api = new FakeApiServer();
    const log: string[] = [];
    const a = candidate(api, 'a', log);
    const b = candidate(api, 'b', log);
    a.start();
    b.start();
    await until(() => log.length === 1);
    await new Promise((r) => setTimeout(r, 100));
    expect(log).toHaveLength(1);
    expect(leaseOf(api)?.holderIdentity).toBe(log[0]?.split(' ')[0]);
    expect(leaseOf(api)?.renewTime).toMatch(/\.\d{6}Z$/);
  });

  it('hands over when the leader stops, releasing the lease', async () => {
    const api = new FakeApiServer();
    const log: string[] = [];
    const a = candidate(api, 'a', log);
    a.start();
    await until(() => a.isLeader);
    const b = candidate(api, 'b', log);
    b.start();
    await a.stop();
    await until(() => b.isLeader);
    expect(leaseOf(api)?.leaseTransitions).toBe(1);
  });

  it('steps down when it cannot renew within the deadline', async () => {
    const api = new FakeApiServer();
    const log: string[] = [];
    const a = candidate(api, 'a', log);
    a.start();
    await until(() => a.isLeader);
    // Another replica took the lease (e.g. after a network partition): our renewals now conflict.
    api.edit('Lease', 'ops', 'storefront-operator', (lease) => {
      (lease.spec as { holderIdentity: string; renewTime: string }).holderIdentity = 'b';
      (lease.spec as { renewTime: string }).renewTime = microTime(new Date(Date.now() + 60_000));
    });
    await until(() => log.includes('a lost'));
    expect(a.isLeader).toBe(false);
  });
});
