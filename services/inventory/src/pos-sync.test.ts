import { jsonOf } from '@storefront/kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestInventory, testInventory } from './test-app.ts';

let t: TestInventory;
beforeAll(async () => {
  t = await testInventory();
  await t.addLocation({ code: 'store-a' });
});
afterAll(() => t.close());

const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();
const sync = (body: unknown) => t.call('POST', '/locations/store-a/pos-sync', { body });

describe('POS sync', () => {
  it('a batch sent three times applies once', async () => {
    await t.setStock('POS-1', 'store-a', 20);
    const batch = {
      batchId: 'till-1-0001',
      lines: [
        { lineId: 'l1', type: 'sale', sku: 'POS-1', qty: 2, at: minutesAgo(10) },
        { lineId: 'l2', type: 'sale', sku: 'POS-1', qty: 1, at: minutesAgo(9) },
        { lineId: 'l3', type: 'sale', sku: 'POS-NEW', qty: 1, at: minutesAgo(9) },
      ],
    };
    const first = await sync(batch);
    expect(first.status, await first.clone().text()).toBe(200);
    const body = await jsonOf(first);
    expect(body).toMatchObject({
      replayed: false,
      lines: [{ outcome: 'applied', onHand: 18 }, { onHand: 17 }, { shortfall: 1 }],
    });
    // Sequentially, then concurrently: every retry replays and nothing moves.
    const second = await jsonOf(await sync(batch));
    const more = await Promise.all([sync(batch), sync(batch)]);
    expect(second).toEqual({ ...body, replayed: true });
    for (const r of more) expect(await jsonOf(r)).toEqual({ ...body, replayed: true });
    expect(await t.level('POS-1', 'store-a')).toEqual({ onHand: 17, reserved: 0 });
    const moves = await t.db.query(`SELECT count(*)::int AS n FROM movements WHERE sku = 'POS-1'`);
    expect(moves.rows[0]?.n).toBe(2);
  });

  it('a batch sent three times at once applies once', async () => {
    await t.setStock('POS-6', 'store-a', 20);
    const batch = {
      batchId: 'till-2-0001',
      lines: [{ lineId: 'm1', type: 'sale', sku: 'POS-6', qty: 5, at: minutesAgo(3) }],
    };
    const answers = await Promise.all([sync(batch), sync(batch), sync(batch)]);
    const bodies = await Promise.all(answers.map(jsonOf));
    expect(bodies.map((b) => b.replayed).sort()).toEqual([false, true, true]);
    expect(await t.level('POS-6', 'store-a')).toEqual({ onHand: 15, reserved: 0 });
  });

  it('the same batch id with other lines is a 409; a line re-sent in another batch is a duplicate', async () => {
    await t.setStock('POS-2', 'store-a', 10);
    const line = { lineId: 'x1', type: 'sale', sku: 'POS-2', qty: 1, at: minutesAgo(5) };
    expect((await sync({ batchId: 'b-2', lines: [line] })).status).toBe(200);
    const other = await sync({ batchId: 'b-2', lines: [{ ...line, qty: 2 }] });
    expect(other.status).toBe(409);
    expect(await jsonOf(other)).toMatchObject({ code: 'idempotency_mismatch' });
    const rebatched = await jsonOf(await sync({ batchId: 'b-3', lines: [line] }));
    expect(rebatched.lines).toEqual([{ lineId: 'x1', sku: 'POS-2', outcome: 'duplicate', onHand: 9, shortfall: 0 }]);
    expect(await t.level('POS-2', 'store-a')).toEqual({ onHand: 9, reserved: 0 });
  });

  it('counts set the level seen at their time, minus later sales; older counts and sales are ignored', async () => {
    await t.setStock('POS-3', 'store-a', 50);
    // Sales at -8 and -6 arrive first; the count taken at -10 arrives later.
    await sync({
      batchId: 'c-1',
      lines: [
        { lineId: 's1', type: 'sale', sku: 'POS-3', qty: 2, at: minutesAgo(8) },
        { lineId: 's2', type: 'sale', sku: 'POS-3', qty: 3, at: minutesAgo(6) },
      ],
    });
    const counted = await jsonOf(
      await sync({
        batchId: 'c-2',
        lines: [{ lineId: 'k1', type: 'count', sku: 'POS-3', onHand: 30, at: minutesAgo(10) }],
      }),
    );
    expect(counted.lines[0]).toMatchObject({ outcome: 'applied', onHand: 25 });
    const late = await jsonOf(
      await sync({
        batchId: 'c-3',
        lines: [
          { lineId: 's0', type: 'sale', sku: 'POS-3', qty: 4, at: minutesAgo(11) },
          { lineId: 'k0', type: 'count', sku: 'POS-3', onHand: 99, at: minutesAgo(12) },
        ],
      }),
    );
    expect(late.lines.map((l: { outcome: string }) => l.outcome)).toEqual(['counted', 'stale']);
    expect(await t.level('POS-3', 'store-a')).toEqual({ onHand: 25, reserved: 0 });
  });

  it('never takes reserved units: the rest is a shortfall', async () => {
    await t.setStock('POS-4', 'store-a', 5);
    await t.call('POST', '/reservations', {
      body: { id: 'pickup-4', lines: [{ sku: 'POS-4', qty: 4 }], pickupLocation: 'store-a' },
    });
    const r = await jsonOf(
      await sync({ batchId: 'r-1', lines: [{ lineId: 'q1', type: 'sale', sku: 'POS-4', qty: 3, at: minutesAgo(1) }] }),
    );
    expect(r.lines[0]).toMatchObject({ outcome: 'applied', onHand: 4, shortfall: 2 });
    expect(await t.level('POS-4', 'store-a')).toEqual({ onHand: 4, reserved: 4 });
  });

  it('refuses bad batches with 4xx', async () => {
    const ok = { lineId: 'z', type: 'sale', sku: 'POS-5', qty: 1, at: minutesAgo(1) };
    const cases: [unknown, number][] = [
      [{ batchId: 'v1', lines: [] }, 422],
      [{ batchId: 'v2', lines: [ok, ok] }, 422],
      [{ batchId: 'v3', lines: [{ ...ok, at: new Date(Date.now() + 3_600_000).toISOString() }] }, 422],
      [{ batchId: 'v4', lines: [{ ...ok, type: 'refund' }] }, 422],
      [{ batchId: 'v5', lines: [{ ...ok, qty: -1 }] }, 422],
    ];
    for (const [body, status] of cases) expect((await sync(body)).status).toBe(status);
    expect((await t.call('POST', '/locations/nowhere/pos-sync', { body: { batchId: 'v6', lines: [ok] } })).status).toBe(
      404,
    );
  });
});
