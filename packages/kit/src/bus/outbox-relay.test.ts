import { newId } from '@storefront/contracts';
import { describe, expect, it } from 'vitest';
import { testEventPrefix } from '../testing/index.ts';
import { pruneOutbox } from './relay-batch.ts';
import {
  busSuite,
  count,
  metricValue,
  streamBodies,
  streamMessages,
  type TestDb,
  testBus,
  waitFor,
} from './test-support.ts';

describe('outbox and relay', () => {
  let db: TestDb;
  busSuite((migrated) => {
    db = migrated;
  });

  it('stores an event published twice (relay crashed before marking it) once in the stream', async () => {
    const prefix = testEventPrefix();
    const { bus, metrics } = await testBus(db, prefix);
    const id = await db.tx((tx) => bus.outbox.add(tx, 'kit.ping.v1', { n: 1 }));
    expect(await metricValue(metrics, 'outbox_pending')).toBe(1);
    expect(await bus.relayNow()).toBe(1);
    // The relay died after the PubAck but before its COMMIT: the row is pending again.
    await db.query('UPDATE outbox SET published_at = NULL WHERE id = $1', [id]);
    expect(await bus.relayNow()).toBe(1);
    expect(await streamMessages(prefix)).toBe(1);
    expect(await count(db, 'outbox WHERE id = $1 AND published_at IS NOT NULL', [id])).toBe(1);
    expect(await metricValue(metrics, 'outbox_pending')).toBe(0);
    expect(await metricValue(metrics, 'outbox_published_total')).toBe(2);
    await bus.close();
  });

  it('lets two relays (replicas) drain one outbox with every event stored once and in order', async () => {
    const prefix = testEventPrefix();
    await db.query('TRUNCATE outbox');
    const a = await testBus(db, prefix);
    const b = await testBus(db, prefix);
    const ids: string[] = [];
    await db.tx(async (tx) => {
      for (let n = 0; n < 150; n++) ids.push(await a.bus.outbox.add(tx, 'kit.ping.v1', { n }));
    });
    const [sa, sb] = await Promise.all([a.bus.relayNow(), b.bus.relayNow()]);
    await a.bus.relayNow(); // whichever lost the advisory lock came back empty-handed; finish
    expect(await count(db, 'outbox WHERE published_at IS NULL')).toBe(0);
    expect(sa + sb).toBeGreaterThan(0);
    expect(await streamMessages(prefix)).toBe(150);
    const bodies = (await streamBodies(prefix)) as { id: string; payload: { n: number } }[];
    expect(bodies.map((b) => b.payload.n)).toEqual(ids.map((_, n) => n));
    expect(bodies.map((b) => b.id)).toEqual(ids);
    await Promise.all([a.bus.close(), b.bus.close()]);
  });

  it('never publishes the events of a rolled-back transaction; NOTIFY wakes the relay before the poll', async () => {
    const prefix = testEventPrefix();
    await db.query('TRUNCATE outbox');
    // A poll this long means only NOTIFY can explain a prompt publish.
    const { bus } = await testBus(db, prefix, { relayPollMs: 60_000 });
    await bus.start();
    await waitFor('the relay to go idle', async () => (await streamMessages(prefix)) === 0);
    await expect(
      db.tx(async (tx) => {
        await bus.outbox.add(tx, 'kit.ping.v1', { n: 1, note: 'rolled back' });
        throw new Error('business rule failed');
      }),
    ).rejects.toThrow('business rule failed');
    await new Promise((r) => setTimeout(r, 300));
    const started = Date.now();
    const kept = await db.tx((tx) => bus.outbox.add(tx, 'kit.ping.v1', { n: 2, note: 'committed' }));
    await waitFor('the committed event', async () => (await streamMessages(prefix)) >= 1, 5_000);
    expect(Date.now() - started).toBeLessThan(5_000);
    await new Promise((r) => setTimeout(r, 200));
    expect(await streamMessages(prefix)).toBe(1);
    expect((await db.query('SELECT id FROM outbox')).rows).toEqual([{ id: kept }]);
    await bus.close();
  });

  it('listens again after its LISTEN connection is killed (database restart), still without waiting for the poll', async () => {
    const prefix = testEventPrefix();
    await db.query('TRUNCATE outbox');
    const { bus } = await testBus(db, prefix, { service: 'relisten', relayPollMs: 60_000 });
    await bus.start();
    const listeners = `pg_stat_activity WHERE application_name = 'relisten-outbox-listen' AND datname = current_database()`;
    await waitFor('the LISTEN connection', async () => (await count(db, listeners)) === 1);
    await db.query(`SELECT pg_terminate_backend(pid) FROM ${listeners}`);
    await waitFor('the LISTEN connection to come back', async () => (await count(db, listeners)) === 1);
    await new Promise((r) => setTimeout(r, 200));
    await db.tx((tx) => bus.outbox.add(tx, 'kit.ping.v1', { n: 1 }));
    await waitFor('the event', async () => (await streamMessages(prefix)) === 1, 5_000);
  });

  it('prunes published rows past the retention, never unpublished ones', async () => {
    await db.query('TRUNCATE outbox');
    const { bus } = await testBus(db, testEventPrefix());
    const [old, recent, pending] = await db.tx(async (tx) => [
      await bus.outbox.add(tx, 'kit.ping.v1', { n: 1 }),
      await bus.outbox.add(tx, 'kit.ping.v1', { n: 2 }),
      await bus.outbox.add(tx, 'kit.ping.v1', { n: 3 }),
    ]);
    await db.query(
      `UPDATE outbox SET published_at = now() - interval '8 days', created_at = now() - interval '8 days' WHERE id = $1`,
      [old],
    );
    await db.query('UPDATE outbox SET published_at = now() WHERE id = $1', [recent]);
    await db.query(`UPDATE outbox SET created_at = now() - interval '30 days' WHERE id = $1`, [pending]);
    expect(await pruneOutbox(db, db.schema)).toBe(1);
    expect((await db.query('SELECT id FROM outbox ORDER BY seq')).rows.map((r) => r.id)).toEqual([recent, pending]);
  });

  it('refuses a payload that does not match the catalog, in the caller, before anything is written', async () => {
    const { bus } = await testBus(db, testEventPrefix());
    const before = await count(db, 'outbox');
    // biome-ignore lint/suspicious/noExplicitAny: the point is a payload the types would reject.
    const wrong = { n: 'one' } as any;
    await expect(db.tx((tx) => bus.outbox.add(tx, 'kit.ping.v1', wrong))).rejects.toThrow();
    // biome-ignore lint/suspicious/noExplicitAny: same, with a subject outside the catalog.
    await expect(db.tx((tx) => bus.outbox.add(tx, 'kit.nope.v1' as any, { n: 1 }))).rejects.toThrow('catalog');
    expect(await count(db, 'outbox')).toBe(before);
    await bus.close();
  });

  it('uses the caller id when given, so a retried business operation cannot emit twice', async () => {
    const { bus } = await testBus(db, testEventPrefix());
    const id = newId();
    await db.tx((tx) => bus.outbox.add(tx, 'kit.ping.v1', { n: 1 }, { id }));
    await expect(db.tx((tx) => bus.outbox.add(tx, 'kit.ping.v1', { n: 1 }, { id }))).rejects.toThrow(/duplicate key/);
    await bus.close();
  });
});
