import type { Location } from '../domain.ts';

/**
 * Demo stock, pure: (seed, sku) → a level per location. The same SKU always gets the same stock,
 * whatever else is seeded, so growing the catalog extends inventory instead of reshuffling it.
 */

export const SEED_LOCATIONS: readonly Location[] = [
  {
    code: 'wh-central',
    name: 'Central warehouse',
    kind: 'warehouse',
    address: { line1: '100 Logistics Way', city: 'Columbus', region: 'OH', postalCode: '43217', country: 'US' },
    pickupEnabled: false,
    priority: 10,
  },
  {
    code: 'wh-west',
    name: 'West warehouse',
    kind: 'warehouse',
    address: { line1: '2500 Harbor Blvd', city: 'Oakland', region: 'CA', postalCode: '94607', country: 'US' },
    pickupEnabled: false,
    priority: 20,
  },
  {
    code: 'store-downtown',
    name: 'Downtown store',
    kind: 'store',
    address: { line1: '12 Market St', city: 'San Francisco', region: 'CA', postalCode: '94103', country: 'US' },
    pickupEnabled: true,
    priority: 100,
  },
];

/** FNV-1a, then mulberry32: a small deterministic stream per (seed, sku). */
function stream(seed: number, sku: string): () => number {
  let h = 0x811c9dc5;
  for (const ch of `${seed}\u0001${sku}`) {
    h ^= ch.codePointAt(0) ?? 0;
    h = Math.imul(h, 0x01000193);
  }
  let a = h >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface SeedLevel {
  readonly sku: string;
  readonly location: string;
  readonly onHand: number;
}

/**
 * About 6% of SKUs are sold out everywhere, 12% are nearly gone (a few units in one warehouse),
 * the rest are spread over both warehouses with some at the store. Rows at zero are kept: they
 * say "this location carries it" and give POS counts a row to land on.
 */
export function seedLevels(seed: number, sku: string): SeedLevel[] {
  const next = stream(seed, sku);
  const int = (max: number) => Math.floor(next() * (max + 1));
  const profile = next();
  const [central, west, store] = SEED_LOCATIONS.map((l) => l.code) as [string, string, string];
  if (profile < 0.06) return [{ sku, location: central, onHand: 0 }];
  if (profile < 0.18) return [{ sku, location: next() < 0.7 ? central : west, onHand: 1 + int(3) }];
  const levels: SeedLevel[] = [{ sku, location: central, onHand: next() < 0.1 ? 0 : 5 + int(115) }];
  if (next() < 0.7) levels.push({ sku, location: west, onHand: next() < 0.3 ? 0 : 2 + int(58) });
  if (next() < 0.5) levels.push({ sku, location: store, onHand: 1 + int(11) });
  return levels;
}
