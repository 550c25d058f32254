import { jsonOf, silentLog } from '@storefront/kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSweeper, sweepExpired } from './sweeper.ts';
import { type TestInventory, testInventory } from './test-app.ts';

let t: TestInventory;
beforeAll(async () => {
  t = await testInventory();
  await t.addLocation({ code: 'wh-a' });
  await t.addLocation({ code: 'wh-b' });
});
afterAll(() => t.close());

const hold = (id: string, lines: { sku: string; qty: number }[], ttlSeconds: number) =>
  t.call('POST', '/reservations', { body: { id, lines, ttlSeconds } });

describe('TTL expiry', () => {
  it('releases holds past their TTL and only those, in bounded batches', async () => {
    await t.setStock('TTL-1', 'wh-a', 10);
    await t.setStock('TTL-1', 'wh-b', 10);
    for (let i = 0; i < 5; i++) expect((await hold(`short-${i}`, [{ sku: 'TTL-1', qty: 3 }], 5)).status).toBe(201);
    expect((await hold('long', [{ sku: 'TTL-1', qty: 2 }], 600)).status).toBe(201);
    expect(await sweepExpired(t.core)).toBe(0);

    t.advance(5_001);
    expect(await sweepExpired(t.core, 2)).toBe(2);
    expect(await sweepExpired(t.core, 2)).toBe(2);
    expect(await sweepExpired(t.core, 2)).toBe(1);
    expect(await sweepExpired(t.core, 2)).toBe(0);

    const rows = await t.db.query(`SELECT sum(reserved)::int AS reserved, sum(on_hand)::int AS on_hand FROM stock`);
    expect(rows.rows[0]).toEqual({ reserved: 2, on_hand: 20 });
    const expired = await jsonOf(await t.call('GET', '/reservations/short-0'));
    expect(expired).toMatchObject({ status: 'released', releaseReason: 'expired' });
    expect((await jsonOf(await t.call('GET', '/reservations/long'))).status).toBe('held');

    // Expired is final: commit refuses, release answers the released state.
    expect((await t.call('POST', '/reservations/short-1/commit')).status).toBe(409);
    expect((await t.call('POST', '/reservations/short-1/release')).status).toBe(200);
    const expiries = (await t.events('stock.changed.v1')).filter((e) => e.payload.reason === 'expiry');
    expect(expiries.length).toBeGreaterThan(0);
  });

  it('replicas sweeping at once release each hold exactly once', async () => {
    await t.setStock('TTL-2', 'wh-a', 100);
    for (let i = 0; i < 40; i++) await hold(`race-${i}`, [{ sku: 'TTL-2', qty: 2 }], 5);
    t.advance(5_001);
    const counts = await Promise.all(Array.from({ length: 4 }, () => sweepExpired(t.core, 7)));
    let total = counts.reduce((a, b) => a + b, 0);
    while (total < 40) {
      const n = await sweepExpired(t.core, 7);
      if (!n) break;
      total += n;
    }
    expect(total).toBe(40);
    expect(await t.level('TTL-2', 'wh-a')).toEqual({ onHand: 100, reserved: 0 });
  });

  it('the interval sweeper finds them by itself', async () => {
    await t.setStock('TTL-3', 'wh-a', 1);
    await hold('auto', [{ sku: 'TTL-3', qty: 1 }], 5);
    t.advance(5_001);
    const sweeper = startSweeper(t.core, { intervalMs: 50, log: silentLog() });
    try {
      await expect.poll(async () => (await t.level('TTL-3', 'wh-a'))?.reserved, { timeout: 5_000 }).toBe(0);
    } finally {
      await sweeper.stop();
    }
  });
});
