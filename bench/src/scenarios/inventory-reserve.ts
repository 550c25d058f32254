import type { BenchRequest, Scenario, Target } from '../types.ts';

// The target's token (inventory-target.ts); not imported, as that module starts the server when loaded.
const TOKEN = 'bench-service-token-0123456789';
const target: Target = { kind: 'spawn', entry: new URL('./inventory-target.ts', import.meta.url), ready: '/readyz' };

/** `"{fresh}"` and `"{spread}"` are filled in by the target for every request (see inventory-target.ts). */
const reserve = (sku: string): BenchRequest => ({
  method: 'POST',
  path: '/reservations',
  headers: { 'content-type': 'application/json', 'x-service-token': TOKEN },
  body: JSON.stringify({ id: '{fresh}', lines: [{ sku, qty: 1 }], ttlSeconds: 3600 }),
});

/**
 * Reservations of one unit of one SKU at one location: every request takes the same row lock, so
 * the figure is the single-row commit rate through the whole service (reliability.md: ~1.2k/s for
 * the bare UPDATE on this machine).
 */
export const inventoryReserveHot: Scenario = {
  name: 'inventory-reserve-hot',
  description: 'POST /reservations, 1 unit of the same SKU each time (one hot stock row), outbox event included',
  target,
  requests: [reserve('BENCH-HOT')],
  loads: [{ mode: 'max' }, { mode: 'fixed' }],
};

/** The same over 1000 SKUs picked at random: no row contention, so it shows the per-request cost (~5.8k/s bare SQL). */
export const inventoryReserveSpread: Scenario = {
  name: 'inventory-reserve-spread',
  description: 'POST /reservations, 1 unit of a random one of 1000 SKUs, outbox event included',
  target,
  requests: [reserve('{spread}')],
  loads: [{ mode: 'max' }, { mode: 'fixed' }],
};
