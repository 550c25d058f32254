import { describe, expect, it } from 'vitest';
import { testEventPrefix } from '../testing/index.ts';
import {
  busSuite,
  closeTestBuses,
  count,
  metricValue,
  privateNats,
  streamMessages,
  type TestDb,
  testBus,
  waitFor,
} from './test-support.ts';

describe('NATS outage', () => {
  let db: TestDb;
  busSuite((migrated) => {
    db = migrated;
  });

  it('publishes the events written while NATS is unreachable once it returns, none lost', async () => {
    // A private broker: the machine's shared nats-server is never stopped by a test.
    const nats = await privateNats();
    try {
      const prefix = testEventPrefix();
      const { bus, metrics } = await testBus(db, prefix, { natsUrl: nats.url });
      bus.subscribe(
        'sink',
        ['kit.ping.v1'],
        async (event, ctx) => {
          await ctx.tx.query('INSERT INTO effects (event_id, consumer, n) VALUES ($1, $2, $3)', [
            event.id,
            'sink',
            event.payload.n,
          ]);
        },
        { backoffMs: [100, 200] },
      );
      await bus.start();
      for (let n = 0; n < 3; n++) await db.tx((tx) => bus.outbox.add(tx, 'kit.ping.v1', { n }));
      await waitFor('events before the outage', async () => (await count(db, 'effects')) === 3);

      await nats.stop();
      for (let n = 3; n < 23; n++) await db.tx((tx) => bus.outbox.add(tx, 'kit.ping.v1', { n }));
      await waitFor(
        'a failed attempt to be recorded',
        async () => (await count(db, 'outbox WHERE last_error IS NOT NULL')) > 0,
      );
      expect(await count(db, 'outbox WHERE published_at IS NULL')).toBe(20);
      expect(await metricValue(metrics, 'outbox_pending')).toBe(20);
      expect(await metricValue(metrics, 'outbox_publish_errors_total')).toBeGreaterThan(0);

      await nats.start(); // same port, same storage directory
      await waitFor(
        'the backlog to be published',
        async () => (await count(db, 'outbox WHERE published_at IS NULL')) === 0,
        20_000,
      );
      await waitFor('the backlog to be consumed', async () => (await count(db, 'effects')) === 23, 20_000);
      const rows = await db.query<{ n: number }>("SELECT n FROM effects WHERE consumer = 'sink' ORDER BY n");
      expect(rows.rows.map((r) => r.n)).toEqual([...Array(23).keys()]);
      expect(await streamMessages(prefix, nats.url)).toBe(23);
    } finally {
      await closeTestBuses();
      await nats.dispose();
    }
  });
});
