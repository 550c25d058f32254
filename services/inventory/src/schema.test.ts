import type { Db } from '@storefront/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migratedDb } from './test-app.ts';

/** The database itself refuses impossible stock, whatever code (ours or a hand-typed UPDATE) tries. */
let db: Db & { drop(): Promise<void> };
beforeAll(async () => {
  db = await migratedDb();
  await db.query(
    `INSERT INTO locations (code, name, kind, address, created_at, updated_at) VALUES ('wh-a', 'A', 'warehouse', '{}', now(), now())`,
  );
  await db.query(`INSERT INTO stock (sku, location, on_hand, reserved, updated_at) VALUES ('S', 'wh-a', 5, 2, now())`);
});
afterAll(() => db.drop());

describe('stock CHECK constraints', () => {
  it.each([
    ['on_hand = -1', 'stock_on_hand_non_negative'],
    ['reserved = -1', 'stock_reserved_non_negative'],
    ['reserved = 6', 'stock_reserved_within_on_hand'],
    ['on_hand = 1', 'stock_reserved_within_on_hand'],
    ['on_hand = on_hand - 10', 'stock_on_hand_non_negative'],
    ['on_hand = 1000000001', 'stock_on_hand_bounded'],
  ])('SET %s is refused by %s', async (set, constraint) => {
    await expect(db.query(`UPDATE stock SET ${set} WHERE sku = 'S'`)).rejects.toMatchObject({
      code: '23514',
      constraint,
    });
    const { rows } = await db.query(`SELECT on_hand, reserved FROM stock WHERE sku = 'S'`);
    expect(rows[0]).toEqual({ on_hand: 5, reserved: 2 });
  });

  it('refuses stock at an unknown location and pickup at a warehouse', async () => {
    await expect(
      db.query(`INSERT INTO stock (sku, location, updated_at) VALUES ('S', 'nowhere', now())`),
    ).rejects.toMatchObject({ code: '23503' });
    await expect(db.query(`UPDATE locations SET pickup_enabled = true WHERE code = 'wh-a'`)).rejects.toMatchObject({
      code: '23514',
    });
  });
});
