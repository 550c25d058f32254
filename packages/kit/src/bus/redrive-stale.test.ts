import { jetstream } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { newId } from '@storefront/contracts';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createRetention, retentionTarget } from '../db/retention.ts';
import { DAY_MS, retentionConfigShape } from '../db/retention-config.ts';
import { createLogger } from '../log.ts';
import { silentLog, testEnv, testEventPrefix } from '../testing/index.ts';
import { eventTime, listDeadLetters, redrive } from './redrive.ts';
import { runRedriveCli } from './redrive-cli.ts';
import { busSuite, count, metricValue, streamMessages, type TestDb, testBus, waitFor } from './test-support.ts';

describe('the age of a dead letter for the inbox window', () => {
  const now = new Date('2026-11-22T12:00:00Z');
  const deadAt = new Date('2026-11-20T12:00:00Z');
  const envelope = (occurredAt: unknown) => JSON.stringify({ id: newId(), subject: 'kit.ping.v1', occurredAt });
  it.each([
    ['the envelope occurredAt when older (a redrive that died again)', envelope('2026-10-13T12:00:00Z'), 40],
    ['the death without a payload', null, 2],
    ['the death for a body that is not JSON', 'not json', 2],
    ['the death for JSON null', 'null', 2],
    ['the death for an occurredAt that is not a date', envelope('yesterday'), 2],
    ['the death for a missing occurredAt', JSON.stringify({ id: newId() }), 2],
    ['the death when occurredAt is later (a skewed producer clock)', envelope('2026-11-21T12:00:00Z'), 2],
  ])('counts from %s', (_case, payload, days) => {
    expect(now.getTime() - eventTime(payload, deadAt).getTime()).toBe(days * DAY_MS);
  });
});

describe('redrive and the inbox window', () => {
  let db: TestDb;
  busSuite((migrated) => {
    db = migrated;
  });

  it('refuses an event older than INBOX_RETENTION_DAYS, which --force-stale shows would be applied twice', async () => {
    const prefix = testEventPrefix();
    const service = db.schema;
    let broken = true;
    const { bus, metrics } = await testBus(db, prefix, { service });
    const insert = 'INSERT INTO effects (event_id, consumer, n) VALUES ($1, $2, $3)';
    // Two consumers of one subject: `applier` applies everything, `worker` fails until fixed.
    bus.subscribe('applier', ['kit.ping.v1'], async (event, ctx) => {
      await ctx.tx.query(insert, [event.id, 'applier', event.payload.n]);
    });
    bus.subscribe(
      'worker',
      ['kit.ping.v1'],
      async (event, ctx) => {
        if (broken) throw new Error('worker broken');
        await ctx.tx.query(insert, [event.id, 'worker', event.payload.n]);
      },
      { backoffMs: [50], maxDeliver: 2 },
    );
    await bus.start();

    // An event that occurred 40 days ago (it reached the worker's dead letters only now), and a fresh one.
    const staleId = newId();
    const occurredAt = new Date(Date.now() - 40 * DAY_MS).toISOString();
    const nc = await connect({ servers: testEnv().natsUrl });
    const body = { id: staleId, subject: 'kit.ping.v1', occurredAt, payload: { n: 1 } };
    await jetstream(nc).publish(`${prefix}.kit.ping.v1`, JSON.stringify(body), { msgID: staleId });
    await nc.close();
    const freshId = await db.tx((tx) => bus.outbox.add(tx, 'kit.ping.v1', { n: 2 }));
    await waitFor('two dead letters', async () => (await count(db, 'dead_letters')) === 2);
    await waitFor('the applier', async () => (await count(db, "effects WHERE consumer = 'applier'")) === 2);
    const dead = await listDeadLetters(db);
    const effects = (event: string, consumer: string) =>
      count(db, 'effects WHERE event_id = $1 AND consumer = $2', [event, consumer]);

    // Forty days on, the real retention prunes the applier's inbox row of the old event.
    await db.query(`UPDATE inbox SET processed_at = now() - interval '40 days' WHERE event_id = $1`, [staleId]);
    const config = z.object(retentionConfigShape).parse({});
    const retention = createRetention({
      db,
      log: silentLog(),
      metrics,
      targets: [retentionTarget({ table: 'inbox', column: 'processed_at', policy: 'inbox' }, config)],
      intervalMs: 60_000,
      batchSize: 100,
    });
    expect(await retention.runOnce()).toMatchObject({ ran: true, pruned: { inbox: 1 } });
    expect(await count(db, 'inbox WHERE event_id = $1', [staleId])).toBe(0);

    broken = false;
    const [stale, fresh] = [staleId, freshId].map((e) => {
      const d = dead.find((x) => x.eventId === e);
      if (!d) throw new Error(`no dead letter for ${e}`);
      return d;
    });
    const env = { DATABASE_URL: testEnv().databaseUrl, NATS_URL: testEnv().natsUrl, EVENT_PREFIX: prefix };
    const listed: string[] = [];
    expect(await runRedriveCli(['--service', service, '--list'], env, (l) => listed.push(l), silentLog())).toBe(0);
    expect(listed.find((l) => l.startsWith(`#${stale?.id} `))).toContain('age=40.0d (past the 30-day inbox window)');
    expect(listed.find((l) => l.startsWith(`#${fresh?.id} `))).toMatch(/ age=0\.0d error=/);
    const before = await streamMessages(prefix);
    const out: string[] = [];
    expect(
      await runRedriveCli(['--service', service, '--consumer', 'worker'], env, (l) => out.push(l), silentLog()),
    ).toBe(1);
    expect(out).toContain(
      `refused: dead letter #${stale?.id} of ${service}-worker: event ${staleId} is 40.0 days old, older than the ` +
        '30-day inbox window (INBOX_RETENTION_DAYS). Consumers of kit.ping.v1 that applied it may have pruned its ' +
        'inbox row and would apply it again. Check that none did, then redrive it with --force-stale.',
    );
    expect(out.at(-1)).toBe('1 redriven, 0 skipped, 1 refused (older than the 30-day inbox window; see above)');
    // The fresh one went out; the applier still remembers it and drops the copy.
    await waitFor('the fresh event at the worker', async () => (await effects(freshId, 'worker')) === 1);
    await waitFor(
      'the applier to drop the redriven copy',
      async () => (await metricValue(metrics, 'events_consumed_total', { result: 'duplicate' })) >= 1,
    );
    expect(await effects(freshId, 'applier')).toBe(1);
    // Nothing was sent for the stale one, and it still waits.
    expect(await streamMessages(prefix)).toBe(before + 1);
    expect((await listDeadLetters(db, { ids: [stale?.id ?? 0] }))[0]?.redrivenAt).toBeNull();
    const redriven = await listDeadLetters(db, { ids: [fresh?.id ?? 0], includeRedriven: true });
    expect(redriven[0]?.redrivenAt).toBeInstanceOf(Date);

    // Forced: redriven with a warning, and the applier, whose inbox forgot the event, applies it again.
    const logged: string[] = [];
    const log = createLogger({ service: 'redrive', destination: { write: (line: string) => logged.push(line) } });
    const forced: string[] = [];
    const argv = ['--service', service, '--id', String(stale?.id), '--force-stale'];
    expect(await runRedriveCli(argv, env, (l) => forced.push(l), log)).toBe(0);
    expect(forced[0]).toMatch(
      new RegExp(
        `^warning: --force-stale: redriving dead letter #${stale?.id} of .*event ${staleId} is 40\\.0 days old`,
      ),
    );
    expect(forced.at(-1)).toBe('1 redriven, 0 skipped');
    const warning = JSON.parse(logged[0] ?? '{}') as Record<string, unknown>;
    expect(warning).toMatchObject({ level: 'warn', eventId: staleId, deadLetter: stale?.id, ageDays: 40 });
    await waitFor('the stale event at the worker', async () => (await effects(staleId, 'worker')) === 1);
    await waitFor('the second application', async () => (await effects(staleId, 'applier')) === 2);
  });

  it('rejects an INBOX_RETENTION_DAYS inside the dedupe horizon; redrive() needs a window', async () => {
    const env = {
      DATABASE_URL: testEnv().databaseUrl,
      NATS_URL: testEnv().natsUrl,
      EVENT_PREFIX: 'x',
      INBOX_RETENTION_DAYS: '5',
    };
    const out: string[] = [];
    expect(await runRedriveCli(['--service', 'orders'], env, (l) => out.push(l), silentLog())).toBe(2);
    expect(out[0]).toMatch(/^INBOX_RETENTION_DAYS: .*8/);
    await expect(
      redrive({ db, natsUrl: testEnv().natsUrl, prefix: 'x', all: true, inboxRetentionDays: 0 }),
    ).rejects.toThrow('inboxRetentionDays');
  });
});
