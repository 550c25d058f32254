import { newId } from '@storefront/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commitRequested, nested, releaseRequested, reserveRequested, restockRequested } from './commands.ts';
import { type TestInventory, testInventory } from './test-app.ts';

/**
 * The saga's commands as the bus applies them: each in one transaction (the inbox one), run twice
 * where a re-drive could repeat it, checking the stock rows and the outcome events.
 */
let inv: TestInventory;
beforeAll(async () => {
  inv = await testInventory();
  await inv.addLocation({ code: 'wh-1' });
  await inv.setStock('SKU-A', 'wh-1', 10);
});
afterAll(() => inv.close());

async function run<P>(fn: (core: TestInventory['core'], tx: never, p: P) => Promise<unknown>, p: P) {
  const client = await inv.db.pool.connect();
  try {
    await client.query('BEGIN');
    await fn({ ...inv.core, db: nested(inv.db, client) }, client as never, p);
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK');
    throw err;
  } finally {
    client.release();
  }
}
const outcomes = async (orderId: string) =>
  (await inv.events()).filter((e) => e.payload.orderId === orderId).map((e) => e.subject);

describe('inventory saga commands', () => {
  it('reserve → commit, each repeated: one hold, one sale, outcomes re-announced', async () => {
    const orderId = newId();
    const reservationId = newId();
    const cmd = { orderId, reservationId, lines: [{ sku: 'SKU-A', qty: 2 }], ttlSeconds: 60 };
    await run(reserveRequested, cmd);
    await run(reserveRequested, cmd);
    expect(await inv.level('SKU-A', 'wh-1')).toEqual({ onHand: 10, reserved: 2 });
    await run(commitRequested, { orderId, reservationId });
    await run(commitRequested, { orderId, reservationId });
    expect(await inv.level('SKU-A', 'wh-1')).toEqual({ onHand: 8, reserved: 0 });
    expect(await outcomes(orderId)).toEqual([
      'inventory.reserved.v1',
      'inventory.reserved.v1',
      'inventory.committed.v1',
      'inventory.committed.v1',
    ]);
    // Cancelled after the commit: the sale goes back on hand once, however often it is asked.
    await run(releaseRequested, { orderId, reservationId, reason: 'cancelled' });
    await run(releaseRequested, { orderId, reservationId, reason: 'cancelled' });
    expect(await inv.level('SKU-A', 'wh-1')).toEqual({ onHand: 10, reserved: 0 });
  });

  it('out of stock answers reservation-failed with the shortfall', async () => {
    const orderId = newId();
    await run(reserveRequested, {
      orderId,
      reservationId: newId(),
      lines: [{ sku: 'SKU-A', qty: 99 }],
      ttlSeconds: 60,
    });
    const failed = (await inv.events('inventory.reservation-failed.v1')).find((e) => e.payload.orderId === orderId);
    expect(failed?.payload.reason).toBe('out of stock: SKU-A');
    expect(failed?.payload.unavailable).toEqual([{ sku: 'SKU-A', requested: 99, available: 10 }]);
  });

  it('a release that overtakes its reserve wins; a commit after release fails', async () => {
    const orderId = newId();
    const reservationId = newId();
    await run(releaseRequested, { orderId, reservationId, reason: 'timed out' });
    await run(reserveRequested, { orderId, reservationId, lines: [{ sku: 'SKU-A', qty: 1 }], ttlSeconds: 60 });
    await run(commitRequested, { orderId, reservationId });
    expect(await outcomes(orderId)).toEqual([
      'inventory.released.v1',
      'inventory.reservation-failed.v1',
      'inventory.commit-failed.v1',
    ]);
    expect(await inv.level('SKU-A', 'wh-1')).toEqual({ onHand: 10, reserved: 0 });
  });

  it('restock puts returned units on hand once per return', async () => {
    const orderId = newId();
    const returnId = newId();
    const cmd = { orderId, returnId, location: 'wh-1', lines: [{ sku: 'SKU-A', qty: 1 }] };
    await run(restockRequested, cmd);
    await run(restockRequested, cmd);
    expect(await inv.level('SKU-A', 'wh-1')).toEqual({ onHand: 11, reserved: 0 });
    const { rows } = await inv.db.query(`SELECT reason, delta FROM movements WHERE ref = $1`, [`return:${returnId}`]);
    expect(rows).toEqual([{ reason: 'return', delta: 1 }]);
  });
});
