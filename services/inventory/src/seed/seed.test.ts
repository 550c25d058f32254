import { seedProduct } from '@storefront/catalog/seed';
import type { Db } from '@storefront/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migratedDb } from '../test-app.ts';
import { catalogSkus, seedInventory, seedLevels } from './index.ts';

let a: Db & { drop(): Promise<void> };
let b: Db & { drop(): Promise<void> };
beforeAll(async () => {
  [a, b] = await Promise.all([migratedDb(), migratedDb()]);
});
afterAll(async () => {
  await Promise.all([a.drop(), b.drop()]);
});

const dump = async (db: Db) =>
  (await db.query(`SELECT sku, location, on_hand, reserved FROM stock ORDER BY sku, location`)).rows;

describe('seedInventory', () => {
  it('stocks the SKUs the catalog seed generates, at three locations, deterministically', async () => {
    const first = await seedInventory(a, { products: 40, seed: 7 });
    await seedInventory(b, { products: 40, seed: 7, batch: 13 });
    const expected = Array.from({ length: 40 }, (_, i) => seedProduct(7, i).variants.map((v) => v.sku)).flat();
    expect(first).toMatchObject({ locations: 3, skus: expected.length, inserted: first.rows });
    expect(new Set((await dump(a)).map((r) => r.sku))).toEqual(new Set(expected));
    expect(await dump(b)).toEqual(await dump(a));
    const kinds = await a.query(`SELECT kind, count(*)::int AS n FROM locations GROUP BY kind ORDER BY kind`);
    expect(kinds.rows).toEqual([
      { kind: 'store', n: 1 },
      { kind: 'warehouse', n: 2 },
    ]);
  });

  it('is idempotent: a second run (even after sales) changes nothing', async () => {
    await a.query(`UPDATE stock SET reserved = 1 WHERE on_hand > 0 AND location = 'wh-central'`);
    const before = await dump(a);
    const again = await seedInventory(a, { products: 40, seed: 7 });
    expect(again).toMatchObject({ locations: 0, inserted: 0 });
    expect(await dump(a)).toEqual(before);
  });

  it('takes explicit SKUs from the launcher, and grows without reshuffling', async () => {
    const r = await seedInventory(b, { products: 0, seed: 7, skus: ['EXTRA-1', 'EXTRA-2'] });
    expect(r.skus).toBe(2);
    const rows = await b.query(
      `SELECT sku, location, on_hand FROM stock WHERE sku LIKE 'EXTRA-%' ORDER BY sku, location`,
    );
    expect(rows.rows.map((x) => ({ sku: x.sku, location: x.location, onHand: x.on_hand }))).toEqual(
      [...seedLevels(7, 'EXTRA-1'), ...seedLevels(7, 'EXTRA-2')].sort((x, y) =>
        x.sku === y.sku ? (x.location < y.location ? -1 : 1) : x.sku < y.sku ? -1 : 1,
      ),
    );
    expect(catalogSkus(3, 7)).toEqual(catalogSkus(5, 7).slice(0, catalogSkus(3, 7).length));
  });

  it('gives a realistic mix: some SKUs sold out, most in stock, some at the store', () => {
    const skus = catalogSkus(300, 42);
    const totals = skus.map((s) => seedLevels(42, s).reduce((n, l) => n + l.onHand, 0));
    const out = totals.filter((t) => t === 0).length / totals.length;
    expect(out).toBeGreaterThan(0.02);
    expect(out).toBeLessThan(0.2);
    const atStore = skus.filter((s) => seedLevels(42, s).some((l) => l.location === 'store-downtown')).length;
    expect(atStore / skus.length).toBeGreaterThan(0.2);
  });
});
