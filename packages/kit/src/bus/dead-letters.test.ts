import { jetstream } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { newId } from '@storefront/contracts';
import { describe, expect, it } from 'vitest';
import { testEnv, testEventPrefix } from '../testing/index.ts';
import { EventRejected, listDeadLetters, redrive, runRedriveCli } from './index.ts';
import { busSuite, count, metricValue, type TestDb, testBus, waitFor } from './test-support.ts';

describe('dead letters and redrive', () => {
  let db: TestDb;
  busSuite((migrated) => {
    db = migrated;
  });

  it('dead-letters poison, rejected and always-failing events with their errors; redrive applies a fixed one once', async () => {
    const prefix = testEventPrefix();
    const service = db.schema; // the CLI finds the schema by service name
    const consumer = `${service}-worker`;
    let broken = true;
    const { bus, metrics } = await testBus(db, prefix, { service });
    bus.subscribe(
      'worker',
      ['kit.ping.v1'],
      async (event, ctx) => {
        if (event.payload.note === 'reject') throw new EventRejected('sku retired');
        if (broken && event.payload.note === 'fail') throw new Error(`still broken (attempt ${ctx.attempt})`);
        await ctx.tx.query('INSERT INTO effects (event_id, consumer, n) VALUES ($1, $2, $3)', [
          event.id,
          'worker',
          event.payload.n,
        ]);
      },
      { backoffMs: [100, 200], maxDeliver: 3 },
    );
    await bus.start();

    // Poison: a payload that fails the catalog schema, published around the outbox's checks.
    const poisonId = newId();
    const nc = await connect({ servers: testEnv().natsUrl });
    const poison = { id: poisonId, subject: 'kit.ping.v1', occurredAt: new Date().toISOString(), payload: { n: 'x' } };
    await jetstream(nc).publish(`${prefix}.kit.ping.v1`, JSON.stringify(poison), { msgID: poisonId });
    await nc.close();
    const failId = await db.tx((tx) => bus.outbox.add(tx, 'kit.ping.v1', { n: 7, note: 'fail' }));
    const rejectId = await db.tx((tx) => bus.outbox.add(tx, 'kit.ping.v1', { n: 8, note: 'reject' }));

    await waitFor('three dead letters', async () => (await count(db, 'dead_letters')) === 3);
    const dead = await listDeadLetters(db);
    const byEvent = new Map(dead.map((d) => [d.eventId, d]));
    // Terminated on the delivery that saw it, not retried up to maxDeliver (a stall past the
    // 100 ms ack wait of these tests can make that delivery the second).
    expect(byEvent.get(poisonId)).toMatchObject({ consumer, reason: 'terminated' });
    expect(byEvent.get(poisonId)?.attempts).toBeLessThan(3);
    expect(byEvent.get(poisonId)?.error).toMatch(/poison: payload of kit\.ping\.v1/);
    expect(byEvent.get(rejectId)).toMatchObject({
      reason: 'terminated',
      attempts: 1,
      error: 'EventRejected: sku retired',
    });
    expect(byEvent.get(failId)).toMatchObject({
      reason: 'max_deliveries',
      attempts: 3,
      error: 'Error: still broken (attempt 3)',
    });
    expect(await count(db, 'delivery_failures')).toBe(0);
    expect(await count(db, 'effects')).toBe(0);
    expect(await metricValue(metrics, 'dlq_depth', { consumer })).toBe(3);
    expect(await metricValue(metrics, 'events_consumed_total', { result: 'poison' })).toBeGreaterThanOrEqual(1);

    const env = { DATABASE_URL: testEnv().databaseUrl, NATS_URL: testEnv().natsUrl, EVENT_PREFIX: prefix };
    const listed: string[] = [];
    expect(await runRedriveCli(['--service', service, '--list'], env, (l) => listed.push(l))).toBe(0);
    expect(listed.at(-1)).toBe('3 dead letter(s)');
    expect(listed.join('\n')).toContain('still broken (attempt 3)');

    // The bug is fixed; put the failed event back through the CLI.
    broken = false;
    const failed = byEvent.get(failId);
    const out: string[] = [];
    const argv = ['--service', service, '--consumer', 'worker', '--id', String(failed?.id)];
    expect(await runRedriveCli(argv, env, (l) => out.push(l))).toBe(0);
    expect(out.at(-1)).toBe('1 redriven, 0 skipped');
    await waitFor('the redriven event', async () => (await count(db, 'effects')) === 1);
    expect((await db.query('SELECT event_id, n FROM effects')).rows).toEqual([{ event_id: failId, n: 7 }]);
    expect(await metricValue(metrics, 'dlq_depth', { consumer })).toBe(2);

    // Redriving it again does nothing: it is marked, and the inbox would drop it anyway.
    expect(
      (
        await redrive({
          db,
          natsUrl: testEnv().natsUrl,
          prefix,
          ids: failed ? [failed.id] : [],
          inboxRetentionDays: 30,
        })
      ).redriven,
    ).toEqual([]);
    // Poison stays poison: redriven, it is dead-lettered again as a new row.
    const again = await redrive({
      db,
      natsUrl: testEnv().natsUrl,
      prefix,
      ids: [byEvent.get(poisonId)?.id ?? 0],
      inboxRetentionDays: 30,
    });
    expect(again.redriven).toHaveLength(1);
    await waitFor('the poison to die again', async () => (await count(db, 'dead_letters')) === 4);
    await new Promise((r) => setTimeout(r, 300));
    expect(await count(db, 'effects')).toBe(1);
    expect(await metricValue(metrics, 'dlq_depth', { consumer })).toBe(2);
  });

  it('refuses a redrive without a filter, and a CLI call without its environment', async () => {
    await expect(redrive({ db, natsUrl: testEnv().natsUrl, prefix: 'x', inboxRetentionDays: 30 })).rejects.toThrow(
      'consumer, ids or all',
    );
    const out: string[] = [];
    expect(await runRedriveCli(['--service', 'orders'], {}, (l) => out.push(l))).toBe(2);
    expect(out[0]).toContain('missing env: DATABASE_URL, NATS_URL, EVENT_PREFIX');
    expect(await runRedriveCli(['--bogus'], {}, (l) => out.push(l))).toBe(2);
  });
});
