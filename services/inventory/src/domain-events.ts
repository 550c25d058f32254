import type { EventPayload } from '@storefront/contracts';
import { availableOf, cmp } from './domain.ts';

/**
 * Which stock.* events a transaction's changes produce. Pure: the store hands in each changed row
 * (before and after, as locked by the transaction) and, where needed, the SKU's total after.
 */

export interface Level {
  readonly onHand: number;
  readonly reserved: number;
}

export interface RowChange {
  readonly sku: string;
  readonly location: string;
  readonly before: Level;
  readonly after: Level;
  readonly lowThreshold: number;
}

export interface ChangeSet {
  record(change: RowChange): void;
  /** In lock order. */
  rows(): RowChange[];
}

/** Collects a transaction's row changes; a row changed twice keeps its first before and last after. */
export function changeSet(): ChangeSet {
  const byKey = new Map<string, RowChange>();
  return {
    record(change) {
      const key = `${change.sku}\u0000${change.location}`;
      const first = byKey.get(key);
      byKey.set(key, first ? { ...change, before: first.before } : change);
    },
    rows: () => [...byKey.values()].sort((a, b) => cmp(a.sku, b.sku) || cmp(a.location, b.location)),
  };
}

export function rowEvents(
  c: RowChange,
  reason: string,
  version?: number,
): { changed: EventPayload<'stock.changed.v1'>; low?: EventPayload<'stock.low.v1'> } {
  const before = availableOf(c.before);
  const after = availableOf(c.after);
  const changed = {
    sku: c.sku,
    location: c.location,
    onHand: c.after.onHand,
    reserved: c.after.reserved,
    available: after,
    reason,
    ...(version === undefined ? {} : { version }),
  };
  // On the crossing only: a row that stays low does not repeat the alert on every sale.
  const low = before > c.lowThreshold && after <= c.lowThreshold;
  return low
    ? { changed, low: { sku: c.sku, location: c.location, available: after, threshold: c.lowThreshold } }
    : { changed };
}

/** SKUs whose available total changed, with the net change. */
export function netChanges(rows: readonly RowChange[]): Map<string, number> {
  const net = new Map<string, number>();
  for (const r of rows) net.set(r.sku, (net.get(r.sku) ?? 0) + availableOf(r.after) - availableOf(r.before));
  for (const [sku, d] of net) if (d === 0) net.delete(sku);
  return net;
}

/**
 * Whether the SKU's total must be read (under the SKU's lock) to know if it crossed zero. Not when
 * one of its rows had stock both before and after: the total was and stays positive, whatever
 * concurrent transactions do to other rows. This keeps the lock off the hot path until stock is
 * nearly gone.
 */
export function totalMayCross(rows: readonly RowChange[], sku: string): boolean {
  return !rows.some((r) => r.sku === sku && availableOf(r.before) > 0 && availableOf(r.after) > 0);
}

export function totalEvent(
  sku: string,
  totalAfter: number,
  netDelta: number,
):
  | { subject: 'stock.out.v1'; payload: EventPayload<'stock.out.v1'> }
  | {
      subject: 'stock.back-in-stock.v1';
      payload: EventPayload<'stock.back-in-stock.v1'>;
    }
  | null {
  const totalBefore = totalAfter - netDelta;
  if (totalBefore > 0 && totalAfter <= 0) return { subject: 'stock.out.v1', payload: { sku } };
  if (totalBefore <= 0 && totalAfter > 0) {
    return { subject: 'stock.back-in-stock.v1', payload: { sku, available: totalAfter } };
  }
  return null;
}
