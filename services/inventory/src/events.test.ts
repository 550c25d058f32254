import { eventCatalog, type Subject } from '@storefront/contracts';
import { busMigrationsDir, connectBus, createMetrics, migrate } from '@storefront/kit';
import { silentLog, testDb, testEnv } from '@storefront/kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestInventory, testInventory } from './test-app.ts';

let t: TestInventory;
beforeAll(async () => {
  t = await testInventory();
  await t.addLocation({ code: 'wh-a' });
  await t.addLocation({ code: 'wh-b' });
});
afterAll(() => t.close());

const staff = { roles: ['fulfillment' as const] };
const ofSku = async (sku: string) =>
  (await t.events()).filter((e) => e.subject.startsWith('stock.') && e.payload.sku === sku);

describe('stock events, through the outbox in the transaction of the change', () => {
  it('changed on every move; low on the crossing; out and back in stock on the total', async () => {
    await t.setStock('EV-1', 'wh-a', 3);
    await t.setStock('EV-1', 'wh-b', 1);
    const reserve = (id: string, qty: number) =>
      t.call('POST', '/reservations', { body: { id, lines: [{ sku: 'EV-1', qty }] } });

    // Both rows start at or below the default threshold (5), so no stock.low here.
    expect((await reserve('ev-1', 2)).status).toBe(201);
    expect((await reserve('ev-2', 2)).status).toBe(201); // wh-a 1 + wh-b 1: the total reaches 0
    expect((await t.call('POST', '/reservations/ev-2/release')).status).toBe(200);
    await t.call('POST', '/adjustments', {
      body: { sku: 'EV-1', location: 'wh-a', reason: 'receipt', qty: 10 },
      as: staff,
    });

    const events = await ofSku('EV-1');
    expect(events.map((e) => [e.subject, e.payload.location ?? null, e.payload.available ?? null])).toEqual([
      ['stock.changed.v1', 'wh-a', 1],
      ['stock.changed.v1', 'wh-a', 0],
      ['stock.changed.v1', 'wh-b', 0],
      ['stock.out.v1', null, null],
      ['stock.changed.v1', 'wh-a', 1],
      ['stock.changed.v1', 'wh-b', 1],
      ['stock.back-in-stock.v1', null, 2],
      ['stock.changed.v1', 'wh-a', 11],
    ]);
    expect(events.map((e) => e.payload.reason).filter(Boolean)).toEqual([
      'reservation',
      'reservation',
      'reservation',
      'release',
      'release',
      'receipt',
    ]);
    // Each row's versions grow with its changes, so a consumer can order them (catalog does).
    for (const location of ['wh-a', 'wh-b']) {
      const versions = events
        .filter((e) => e.subject === 'stock.changed.v1' && e.payload.location === location)
        .map((e) => Number(e.payload.version));
      expect(versions.every((v, i) => i === 0 || v > (versions[i - 1] ?? Number.POSITIVE_INFINITY))).toBe(true);
    }
  });

  it('low fires once when available falls to the threshold', async () => {
    await t.setStock('EV-2', 'wh-a', 8);
    await t.call('PUT', '/stock/wh-a/EV-2/threshold', { body: { lowThreshold: 5 }, as: staff });
    for (let i = 0; i < 4; i++) {
      await t.call('POST', '/reservations', { body: { id: `ev2-${i}`, lines: [{ sku: 'EV-2', qty: 1 }] } });
    }
    const low = (await ofSku('EV-2')).filter((e) => e.subject === 'stock.low.v1');
    expect(low.map((e) => e.payload)).toEqual([{ sku: 'EV-2', location: 'wh-a', available: 5, threshold: 5 }]);
  });

  it('racing for the last units at two locations: one stock.out; racing releases: one back-in-stock', async () => {
    for (let i = 0; i < 8; i++) {
      const sku = `EV-RACE-${i}`;
      await t.setStock(sku, 'wh-a', 1);
      await t.setStock(sku, 'wh-b', 1);
      const ids = ['x', 'y'].map((k) => `${sku}-${k}`);
      const held = await Promise.all(
        ids.map((id) => t.call('POST', '/reservations', { body: { id, lines: [{ sku, qty: 1 }] } })),
      );
      expect(held.map((r) => r.status)).toEqual([201, 201]);
      await Promise.all(ids.map((id) => t.call('POST', `/reservations/${id}/release`)));
      const subjects = (await ofSku(sku)).map((e) => e.subject).filter((s) => s !== 'stock.changed.v1');
      expect(subjects).toEqual(['stock.out.v1', 'stock.back-in-stock.v1']);
    }
  });

  it('nothing is published when the change fails', async () => {
    await t.setStock('EV-3', 'wh-a', 1);
    const before = (await t.events()).length;
    expect(
      (await t.call('POST', '/reservations', { body: { id: 'ev3', lines: [{ sku: 'EV-3', qty: 2 }] } })).status,
    ).toBe(409);
    expect((await t.events()).length).toBe(before);
  });

  it('reach a consumer in another service over JetStream', async () => {
    const otherDb = testDb('invc');
    await migrate(otherDb, [busMigrationsDir]);
    const other = await connectBus({
      service: 'stock-watcher',
      natsUrl: testEnv().natsUrl,
      prefix: t.eventPrefix,
      db: otherDb,
      log: silentLog(),
      metrics: createMetrics({ service: 'stock-watcher', runtime: false }),
      relayPollMs: 100,
      shutdownGraceMs: 1_000,
    });
    const seen: string[] = [];
    other.subscribe('out', ['stock.out.v1'], async (e) => {
      seen.push(e.payload.sku);
    });
    try {
      await other.start();
      await t.bus.start();
      await t.setStock('EV-WIRE', 'wh-a', 1);
      await t.call('POST', '/reservations', { body: { id: 'ev-wire', lines: [{ sku: 'EV-WIRE', qty: 1 }] } });
      await expect.poll(() => seen.includes('EV-WIRE'), { timeout: 10_000, interval: 100 }).toBe(true);
    } finally {
      await other.close();
      await otherDb.drop();
    }
  });

  it('every payload parses with its catalog schema', async () => {
    for (const e of await t.events()) {
      expect(() => eventCatalog[e.subject as Subject].parse(e.payload)).not.toThrow();
    }
  });
});
