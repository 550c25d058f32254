import { jsonOf } from '@storefront/kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestInventory, testInventory } from './test-app.ts';

let t: TestInventory;
beforeAll(async () => {
  t = await testInventory();
  await t.addLocation({ code: 'wh-east' });
  await t.addLocation({ code: 'wh-west', priority: 20 });
  await t.addLocation({ code: 'store-soho' });
});
afterAll(() => t.close());

let n = 0;
const sku = () => `R-${++n}`;
const reserve = (body: Record<string, unknown>) => t.call('POST', '/reservations', { body });

describe('reservations', () => {
  it('holds units, shows allocations, commits as a sale', async () => {
    const a = sku();
    await t.setStock(a, 'wh-east', 10);
    const res = await reserve({ id: 'order-1', lines: [{ sku: a, qty: 3 }], ttlSeconds: 60 });
    expect(res.status, await res.clone().text()).toBe(201);
    const held = await jsonOf(res);
    expect(held).toMatchObject({
      id: 'order-1',
      status: 'held',
      allocations: [{ sku: a, location: 'wh-east', qty: 3 }],
    });
    expect(await t.level(a, 'wh-east')).toEqual({ onHand: 10, reserved: 3 });

    const got = await jsonOf(await t.call('GET', '/reservations/order-1'));
    expect(got).toEqual(held);

    const committed = await t.call('POST', '/reservations/order-1/commit');
    expect(committed.status).toBe(200);
    expect(await jsonOf(committed)).toMatchObject({ status: 'committed' });
    expect(await t.level(a, 'wh-east')).toEqual({ onHand: 7, reserved: 0 });

    // Repeating the commit is a no-op with the same answer; release after commit is refused.
    const again = await t.call('POST', '/reservations/order-1/commit');
    expect(again.status).toBe(200);
    expect(await t.level(a, 'wh-east')).toEqual({ onHand: 7, reserved: 0 });
    const late = await t.call('POST', '/reservations/order-1/release');
    expect(late.status).toBe(409);
    expect(await jsonOf(late)).toMatchObject({ code: 'invalid_transition', reservationStatus: 'committed' });
  });

  it('is idempotent by id: same lines replay (200), other lines are a 409', async () => {
    const a = sku();
    await t.setStock(a, 'wh-east', 5);
    const body = { id: 'order-2', lines: [{ sku: a, qty: 2 }] };
    expect((await reserve(body)).status).toBe(201);
    const replay = await reserve(body);
    expect(replay.status).toBe(200);
    expect(await t.level(a, 'wh-east')).toEqual({ onHand: 5, reserved: 2 });
    const other = await reserve({ ...body, lines: [{ sku: a, qty: 3 }] });
    expect(other.status).toBe(409);
    expect(await jsonOf(other)).toMatchObject({ code: 'idempotency_mismatch' });
  });

  it('concurrent retries of one id hold once', async () => {
    const a = sku();
    await t.setStock(a, 'wh-east', 50);
    const body = { id: 'order-3', lines: [{ sku: a, qty: 4 }] };
    const answers = await Promise.all(Array.from({ length: 10 }, () => reserve(body)));
    expect(answers.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 200, 201]);
    expect(await t.level(a, 'wh-east')).toEqual({ onHand: 50, reserved: 4 });
  });

  it('is all or nothing across lines, naming every shortfall', async () => {
    const [a, b] = [sku(), sku()];
    await t.setStock(a, 'wh-east', 5);
    await t.setStock(b, 'wh-west', 1);
    const res = await reserve({
      id: 'order-4',
      lines: [
        { sku: a, qty: 2 },
        { sku: b, qty: 2 },
      ],
    });
    expect(res.status).toBe(409);
    expect(await jsonOf(res)).toMatchObject({
      code: 'out_of_stock',
      shortfalls: [{ sku: b, requested: 2, available: 1 }],
    });
    expect(await t.level(a, 'wh-east')).toEqual({ onHand: 5, reserved: 0 });
    expect((await t.call('GET', '/reservations/order-4')).status).toBe(404);
    // Nothing was recorded, so the same id may try again once stock arrives.
    await t.setStock(b, 'wh-west', 2);
    expect(
      (
        await reserve({
          id: 'order-4',
          lines: [
            { sku: a, qty: 2 },
            { sku: b, qty: 2 },
          ],
        })
      ).status,
    ).toBe(201);
  });

  it('splits a line across locations only when it must', async () => {
    const a = sku();
    await t.setStock(a, 'wh-east', 3);
    await t.setStock(a, 'wh-west', 4);
    const r = await jsonOf(await reserve({ id: 'order-5', lines: [{ sku: a, qty: 6 }] }));
    expect(r.allocations).toEqual([
      { sku: a, location: 'wh-east', qty: 2 },
      { sku: a, location: 'wh-west', qty: 4 },
    ]);
  });

  it('pickup: everything at that store or nothing; only stores with pickup', async () => {
    const a = sku();
    await t.setStock(a, 'wh-east', 10);
    await t.setStock(a, 'store-soho', 1);
    const short = await reserve({ id: 'order-6', lines: [{ sku: a, qty: 2 }], pickupLocation: 'store-soho' });
    expect(short.status).toBe(409);
    const ok = await reserve({ id: 'order-6', lines: [{ sku: a, qty: 1 }], pickupLocation: 'store-soho' });
    expect(await jsonOf(ok)).toMatchObject({
      pickupLocation: 'store-soho',
      allocations: [{ location: 'store-soho', qty: 1 }],
    });
    const warehouse = await reserve({ id: 'order-7', lines: [{ sku: a, qty: 1 }], pickupLocation: 'wh-east' });
    expect(warehouse.status).toBe(422);
    expect(await jsonOf(warehouse)).toMatchObject({ code: 'unknown_location' });
  });

  it('release gives units back; repeated release is a no-op; commit after release is a 409', async () => {
    const a = sku();
    await t.setStock(a, 'wh-east', 3);
    await reserve({ id: 'order-8', lines: [{ sku: a, qty: 3 }] });
    expect((await t.call('POST', '/reservations/order-8/release')).status).toBe(200);
    expect((await t.call('POST', '/reservations/order-8/release')).status).toBe(200);
    expect(await t.level(a, 'wh-east')).toEqual({ onHand: 3, reserved: 0 });
    const commit = await t.call('POST', '/reservations/order-8/commit');
    expect(commit.status).toBe(409);
    expect(await jsonOf(commit)).toMatchObject({ code: 'invalid_transition', reservationStatus: 'released' });
    expect((await t.call('POST', '/reservations/nope/commit')).status).toBe(404);
  });

  it('commit racing release: exactly one wins, stock stays consistent', async () => {
    for (let i = 0; i < 10; i++) {
      const a = sku();
      await t.setStock(a, 'wh-east', 2);
      await reserve({ id: `race-${i}`, lines: [{ sku: a, qty: 2 }] });
      const [c, r] = await Promise.all([
        t.call('POST', `/reservations/race-${i}/commit`),
        t.call('POST', `/reservations/race-${i}/release`),
      ]);
      expect([c.status, r.status].sort()).toEqual([200, 409]);
      expect(await t.level(a, 'wh-east')).toEqual(
        c.status === 200 ? { onHand: 0, reserved: 0 } : { onHand: 2, reserved: 0 },
      );
    }
  });

  it('a hold past its TTL cannot be committed', async () => {
    const a = sku();
    await t.setStock(a, 'wh-east', 1);
    await reserve({ id: 'order-9', lines: [{ sku: a, qty: 1 }], ttlSeconds: 5 });
    t.advance(6_000);
    const res = await t.call('POST', '/reservations/order-9/commit');
    expect(res.status).toBe(409);
    expect(await jsonOf(res)).toMatchObject({ code: 'invalid_transition', expired: true });
  });

  it('reports availability per SKU and location', async () => {
    const a = sku();
    await t.setStock(a, 'wh-east', 4, 1);
    await t.setStock(a, 'store-soho', 2);
    const res = await t.call('GET', `/availability?sku=${a}&sku=NOPE`, { as: 'anonymous' });
    expect(res.status).toBe(200);
    expect(await jsonOf(res)).toEqual({
      items: [
        {
          sku: a,
          available: 5,
          locations: [
            { code: 'wh-east', name: 'wh-east', kind: 'warehouse', pickupEnabled: false, available: 3 },
            { code: 'store-soho', name: 'store-soho', kind: 'store', pickupEnabled: true, available: 2 },
          ],
        },
        { sku: 'NOPE', available: 0, locations: [] },
      ],
    });
    const locations = await jsonOf(await t.call('GET', '/locations', { as: 'anonymous' }));
    expect(locations.items.map((l: { code: string }) => l.code)).toEqual(['wh-east', 'wh-west', 'store-soho']);
  });
});
