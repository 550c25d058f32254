import { cmp } from './domain.ts';

/**
 * Store tills (POS) report what happened on the shop floor in batches, possibly late and out of
 * order. The rules, for one stock row:
 * - a `sale` line takes `qty` off on_hand — unless a count taken after the sale was already
 *   applied (the count saw the shelf without those units: outcome `counted`);
 * - a `count` line says "at time `at` there were `onHand` units". It sets on_hand to that value
 *   minus the POS sales rung up after `at` that were already applied; a count older than the last
 *   applied one is `stale` and ignored.
 * on_hand never drops below what is reserved for online orders: the units the till reports beyond
 * that are returned as `shortfall` for staff to reconcile.
 */

export type PosLine =
  | { readonly lineId: string; readonly type: 'sale'; readonly sku: string; readonly qty: number; readonly at: Date }
  | {
      readonly lineId: string;
      readonly type: 'count';
      readonly sku: string;
      readonly onHand: number;
      readonly at: Date;
    };

export const POS_OUTCOMES = ['applied', 'stale', 'counted', 'duplicate'] as const;
export type PosOutcome = (typeof POS_OUTCOMES)[number];

export interface PosState {
  readonly onHand: number;
  readonly reserved: number;
  readonly lastCountedAt: Date | null;
}

export interface PosStep {
  readonly state: PosState;
  readonly outcome: PosOutcome;
  /** Units the till reported that could not come off on_hand without breaking a reservation. */
  readonly shortfall: number;
}

/** Lines in the order they are applied: by sku (the lock order), then by when they happened. */
export function orderPosLines<T extends PosLine>(lines: readonly T[]): T[] {
  return lines
    .map((line, i) => ({ line, i }))
    .sort((a, b) => cmp(a.line.sku, b.line.sku) || a.line.at.getTime() - b.line.at.getTime() || a.i - b.i)
    .map((x) => x.line);
}

/** `salesAfter`: units of applied POS sales of this row rung up after the line's `at` (counts only). */
export function applyPosLine(state: PosState, line: PosLine, salesAfter: number): PosStep {
  const counted = state.lastCountedAt !== null && line.at <= state.lastCountedAt;
  if (counted) return { state, outcome: line.type === 'count' ? 'stale' : 'counted', shortfall: 0 };
  const wanted = line.type === 'sale' ? state.onHand - line.qty : line.onHand - salesAfter;
  const onHand = Math.max(wanted, state.reserved);
  return {
    state: { ...state, onHand, lastCountedAt: line.type === 'count' ? line.at : state.lastCountedAt },
    outcome: 'applied',
    shortfall: onHand - wanted,
  };
}
