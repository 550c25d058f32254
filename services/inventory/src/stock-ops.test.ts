import { jsonOf } from '@storefront/kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestInventory, testInventory } from './test-app.ts';

let t: TestInventory;
const staff = { roles: ['fulfillment' as const] };
beforeAll(async () => {
  t = await testInventory();
  for (const code of ['wh-a', 'wh-b', 'store-c']) await t.addLocation({ code });
});
afterAll(() => t.close());

const post = (path: string, body: unknown) => t.call('POST', path, { body, as: staff });

describe('adjustments', () => {
  it('apply each reason, write the ledger and the audit log', async () => {
    const steps: [Record<string, unknown>, number][] = [
      [{ reason: 'receipt', qty: 10 }, 10],
      [{ reason: 'damage', qty: 2 }, 8],
      [{ reason: 'correction', delta: -1 }, 7],
      [{ reason: 'count', onHand: 12 }, 12],
    ];
    for (const [change, onHand] of steps) {
      const res = await post('/adjustments', { sku: 'ADJ-1', location: 'wh-a', ...change, note: 'cycle count' });
      expect(res.status, await res.clone().text()).toBe(200);
      expect(await jsonOf(res)).toMatchObject({
        sku: 'ADJ-1',
        location: 'wh-a',
        onHand,
        reserved: 0,
        available: onHand,
      });
    }
    const ledger = await jsonOf(await t.call('GET', '/movements?sku=ADJ-1', { as: staff }));
    expect(ledger.items.map((m: { delta: number; reason: string }) => [m.reason, m.delta])).toEqual([
      ['count', 5],
      ['correction', -1],
      ['damage', -2],
      ['receipt', 10],
    ]);
    const audits = (await t.events('audit.recorded.v1')).filter((e) =>
      String(e.payload.action).startsWith('stock.adjust'),
    );
    expect(audits).toHaveLength(4);
    expect(audits[0]?.payload).toMatchObject({
      service: 'inventory',
      actor: { id: 'acct-fulfillment', type: 'account' },
    });
  });

  it('refuse to go below what is reserved (409), and unknown locations (422)', async () => {
    await t.setStock('ADJ-2', 'wh-a', 5, 4);
    const res = await post('/adjustments', { sku: 'ADJ-2', location: 'wh-a', reason: 'damage', qty: 2 });
    expect(res.status).toBe(409);
    expect(await jsonOf(res)).toMatchObject({ code: 'insufficient_stock', reserved: 4 });
    expect((await post('/adjustments', { sku: 'ADJ-2', location: 'wh-zz', reason: 'receipt', qty: 1 })).status).toBe(
      422,
    );
    expect(await t.level('ADJ-2', 'wh-a')).toEqual({ onHand: 5, reserved: 4 });
  });

  it('with a client id: retries replay, a different request is a 409', async () => {
    const body = { id: 'adj-key-1', sku: 'ADJ-3', location: 'wh-a', reason: 'receipt', qty: 7 };
    const answers = await Promise.all([
      post('/adjustments', body),
      post('/adjustments', body),
      post('/adjustments', body),
    ]);
    const bodies = await Promise.all(answers.map(jsonOf));
    expect(bodies.map((b) => b.replayed).sort()).toEqual([false, true, true]);
    expect(await t.level('ADJ-3', 'wh-a')).toEqual({ onHand: 7, reserved: 0 });
    expect((await post('/adjustments', { ...body, qty: 8 })).status).toBe(409);
  });
});

describe('transfers', () => {
  it('move available units atomically and refuse what the source lacks', async () => {
    await t.setStock('TR-1', 'wh-a', 10, 6);
    const ok = await post('/transfers', { sku: 'TR-1', from: 'wh-a', to: 'store-c', qty: 3 });
    expect(ok.status).toBe(200);
    expect(await jsonOf(ok)).toMatchObject({
      from: { location: 'wh-a', onHand: 7, reserved: 6, available: 1 },
      to: { location: 'store-c', onHand: 3, reserved: 0, available: 3 },
    });
    const refused = await post('/transfers', { sku: 'TR-1', from: 'wh-a', to: 'store-c', qty: 2 });
    expect(refused.status).toBe(409);
    expect(await jsonOf(refused)).toMatchObject({ code: 'insufficient_stock', available: 1 });
    expect(await t.level('TR-1', 'wh-a')).toEqual({ onHand: 7, reserved: 6 });
    expect(await t.level('TR-1', 'store-c')).toEqual({ onHand: 3, reserved: 0 });
    expect((await post('/transfers', { sku: 'TR-1', from: 'wh-a', to: 'wh-a', qty: 1 })).status).toBe(422);
  });

  it('a transfer that would overflow the destination is refused by the CHECK, as a 409', async () => {
    await t.setStock('TR-3', 'wh-a', 10);
    await t.setStock('TR-3', 'wh-b', 999_999_995);
    const res = await post('/transfers', { sku: 'TR-3', from: 'wh-a', to: 'wh-b', qty: 10 });
    expect(res.status).toBe(409);
    expect(await jsonOf(res)).toMatchObject({ code: 'insufficient_stock', constraint: 'stock_on_hand_bounded' });
    expect(await t.level('TR-3', 'wh-a')).toEqual({ onHand: 10, reserved: 0 });
  });

  it('each refusal says which side is wrong and why, with the same code', async () => {
    // The source lacks units: said of the source, with what it has.
    await t.setStock('TR-4', 'wh-b', 4, 1);
    const short = await jsonOf(await post('/transfers', { sku: 'TR-4', from: 'wh-b', to: 'wh-a', qty: 5 }));
    expect(short).toMatchObject({
      status: 409,
      code: 'insufficient_stock',
      side: 'from',
      location: 'wh-b',
      available: 3,
      requested: 5,
    });
    expect(short.detail).toBe('TR-4 at wh-b has 3 available (not reserved), 5 requested');

    // The destination would overflow: said of the destination (whether it is locked before or after
    // the source), never as the source's available stock.
    await t.setStock('TR-4', 'wh-a', 999_999_998);
    await t.setStock('TR-4', 'store-c', 999_999_999);
    for (const [to, onHand] of [
      ['wh-a', 999_999_998],
      ['store-c', 999_999_999],
    ] as const) {
      const res = await post('/transfers', { sku: 'TR-4', from: 'wh-b', to, qty: 3 });
      expect(res.status).toBe(409);
      const body = await jsonOf(res);
      expect(body).toMatchObject({
        code: 'insufficient_stock',
        side: 'to',
        location: to,
        onHand,
        requested: 3,
        limit: 1_000_000_000,
        constraint: 'stock_on_hand_bounded',
      });
      expect(body).not.toHaveProperty('available');
      expect(body.detail).toBe(
        `TR-4 at ${to} has ${onHand} on hand: 3 more would exceed the limit of 1000000000 units`,
      );
      expect(body.detail).not.toContain('wh-b');
    }
    expect(await t.level('TR-4', 'wh-b')).toEqual({ onHand: 4, reserved: 1 });
    expect(await t.level('TR-4', 'wh-a')).toEqual({ onHand: 999_999_998, reserved: 0 });
    // Within the limit exactly: allowed.
    expect((await post('/transfers', { sku: 'TR-4', from: 'wh-b', to: 'wh-a', qty: 2 })).status).toBe(200);
    expect(await t.level('TR-4', 'wh-a')).toEqual({ onHand: 1_000_000_000, reserved: 0 });
  });

  it('concurrent transfers and reservations never make stock negative nor create units', async () => {
    const locs = ['store-c', 'wh-a', 'wh-b'];
    for (const l of locs) await t.setStock('TR-2', l, 20);
    let sampling = true;
    let minSeen = Number.POSITIVE_INFINITY;
    const totals = new Set<number>();
    const sampler = (async () => {
      while (sampling) {
        const { rows } = await t.db.query<{ m: number; total: number }>(
          `SELECT min(least(on_hand - reserved, on_hand, reserved)) AS m, sum(on_hand)::int AS total FROM stock WHERE sku = 'TR-2'`,
        );
        minSeen = Math.min(minSeen, rows[0]?.m ?? 0);
        totals.add(rows[0]?.total ?? -1);
        await new Promise((r) => setTimeout(r, 3));
      }
    })();
    const work = Array.from({ length: 120 }, (_, i) =>
      i % 2
        ? post('/transfers', { sku: 'TR-2', from: locs[i % 3], to: locs[(i + 1) % 3], qty: 1 + (i % 4) })
        : t.call('POST', '/reservations', { body: { id: `tr2-${i}`, lines: [{ sku: 'TR-2', qty: 1 + (i % 3) }] } }),
    );
    const statuses = (await Promise.all(work)).map((r) => r.status);
    sampling = false;
    await sampler;
    expect(statuses.every((s) => [200, 201, 409].includes(s))).toBe(true);
    expect(minSeen).toBeGreaterThanOrEqual(0);
    // Transfers move units; nothing here sells: on hand over the three rows is 60 at every sample.
    expect([...totals]).toEqual([60]);
    const held = await t.db.query(
      `SELECT coalesce(sum(qty), 0)::int AS n FROM reservation_allocations WHERE sku = 'TR-2'`,
    );
    const rows = await t.db.query(`SELECT sum(reserved)::int AS r FROM stock WHERE sku = 'TR-2'`);
    expect(rows.rows[0]?.r).toBe(held.rows[0]?.n);
  });
});

describe('thresholds and staff reads', () => {
  it('sets a threshold and pages the stock rows', async () => {
    await t.setStock('TH-1', 'wh-a', 10);
    await t.setStock('TH-1', 'wh-b', 10);
    const set = await t.call('PUT', '/stock/wh-a/TH-1/threshold', { body: { lowThreshold: 8 }, as: staff });
    expect(await jsonOf(set)).toMatchObject({ sku: 'TH-1', location: 'wh-a', lowThreshold: 8, available: 10 });
    expect((await t.call('PUT', '/stock/wh-a/NOPE/threshold', { body: { lowThreshold: 1 }, as: staff })).status).toBe(
      404,
    );
    const first = await jsonOf(await t.call('GET', '/stock?sku=TH-1&limit=1', { as: staff }));
    expect(first.items).toHaveLength(1);
    const second = await jsonOf(
      await t.call('GET', `/stock?sku=TH-1&limit=1&after=${first.nextCursor}`, { as: staff }),
    );
    expect([first.items[0].location, second.items[0].location]).toEqual(['wh-a', 'wh-b']);
    expect(second.nextCursor).toBeNull();
  });
});
