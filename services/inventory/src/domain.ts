import { ValidationFailed } from '@storefront/kit';
import { IdempotencyMismatch, InsufficientStock, InvalidTransition, type Shortfall } from './errors.ts';

/** Inventory entities and the pure rules over them. Time comes in as an argument. */

export const LOCATION_KINDS = ['warehouse', 'store'] as const;
export type LocationKind = (typeof LOCATION_KINDS)[number];

export interface Address {
  readonly line1: string;
  readonly line2?: string | undefined;
  readonly city: string;
  readonly region?: string | undefined;
  readonly postalCode: string;
  readonly country: string;
}

export interface Location {
  readonly code: string;
  readonly name: string;
  readonly kind: LocationKind;
  readonly address: Address;
  readonly pickupEnabled: boolean;
  /** Lower is preferred when several locations could serve an order. */
  readonly priority: number;
}

export interface StockLevel {
  readonly sku: string;
  readonly location: string;
  readonly onHand: number;
  readonly reserved: number;
  readonly lowThreshold: number;
}

export const availableOf = (s: { onHand: number; reserved: number }) => s.onHand - s.reserved;

export interface Line {
  readonly sku: string;
  readonly qty: number;
}

export interface Allocation {
  readonly sku: string;
  readonly location: string;
  readonly qty: number;
}

/** Each SKU once, sorted: the canonical form a retry is compared against and rows are locked in. */
export function normalizeLines(lines: readonly Line[]): Line[] {
  const sorted = [...lines].map((l) => ({ sku: l.sku, qty: l.qty })).sort((a, b) => cmp(a.sku, b.sku));
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i]?.sku === sorted[i - 1]?.sku) {
      throw new ValidationFailed(`sku ${sorted[i]?.sku} appears twice: send each sku once`, [
        { path: 'body.lines', message: 'each sku at most once' },
      ]);
    }
  }
  return sorted;
}

/** Byte order, the same as Postgres `COLLATE "C"`: the order rows are locked in. */
export const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Allocations sorted by (sku, location): every writer locks stock rows in this one order, so none deadlock. */
export function lockOrder<T extends { sku: string; location: string }>(rows: readonly T[]): T[] {
  return [...rows].sort((a, b) => cmp(a.sku, b.sku) || cmp(a.location, b.location));
}

// --- Allocation -------------------------------------------------------------------------------

export interface Candidate {
  readonly sku: string;
  readonly location: string;
  readonly available: number;
  readonly priority: number;
}

export type AllocationResult =
  | { readonly ok: true; readonly allocations: Allocation[] }
  | { readonly ok: false; readonly shortfalls: Shortfall[] };

/** Subsets of locations tried before settling for a good-enough plan (bounds the work per request). */
const SUBSET_BUDGET = 20_000;

/**
 * Where to take each line from. With `pickupLocation`, everything from that one store or nothing.
 * Otherwise: one location covering every line if any (the best by priority, then code); else the
 * fewest locations (shipments), then the fewest parts (lines split), then the best priorities.
 * A line is split only when no chosen location covers it alone, largest stock first.
 */
export function allocate(
  lines: readonly Line[],
  candidates: readonly Candidate[],
  opts: { pickupLocation?: string | undefined } = {},
): AllocationResult {
  const pool = candidates.filter(
    (c) => c.available > 0 && (opts.pickupLocation === undefined || c.location === opts.pickupLocation),
  );
  const bySku = new Map<string, Candidate[]>();
  for (const c of pool) bySku.set(c.sku, [...(bySku.get(c.sku) ?? []), c]);

  const shortfalls: Shortfall[] = [];
  for (const l of lines) {
    const total = (bySku.get(l.sku) ?? []).reduce((s, c) => s + c.available, 0);
    if (total < l.qty) shortfalls.push({ sku: l.sku, requested: l.qty, available: total });
  }
  if (shortfalls.length) return { ok: false, shortfalls };

  const priority = new Map(pool.map((c) => [c.location, c.priority]));
  const locations = [...priority.keys()].sort((a, b) => (priority.get(a) ?? 0) - (priority.get(b) ?? 0) || cmp(a, b));
  const plan = (subset: readonly string[]) => assign(lines, bySku, new Set(subset), priority);

  let tried = 0;
  for (let k = 1; k <= locations.length; k++) {
    let best: { allocations: Allocation[]; score: number[] } | undefined;
    for (const subset of combinations(locations, k)) {
      if (++tried > SUBSET_BUDGET) break;
      const allocations = plan(subset);
      // A chosen location that serves nothing is not a shipment: only plans that use all k count.
      if (!allocations || new Set(allocations.map((a) => a.location)).size < k) continue;
      const score = [allocations.length, subset.reduce((s, l) => s + (priority.get(l) ?? 0), 0)];
      if (!best || lexLess(score, best.score)) best = { allocations, score };
    }
    if (best) return { ok: true, allocations: lockOrder(best.allocations) };
    if (tried > SUBSET_BUDGET) break;
  }
  // Too many locations to search exhaustively: every location allowed, each line largest-first.
  return { ok: true, allocations: lockOrder(plan(locations) ?? []) };
}

function assign(
  lines: readonly Line[],
  bySku: ReadonlyMap<string, Candidate[]>,
  allowed: ReadonlySet<string>,
  priority: ReadonlyMap<string, number>,
): Allocation[] | undefined {
  const out: Allocation[] = [];
  for (const line of lines) {
    const here = (bySku.get(line.sku) ?? []).filter((c) => allowed.has(c.location));
    const byPriority = [...here].sort(
      (a, b) => (priority.get(a.location) ?? 0) - (priority.get(b.location) ?? 0) || cmp(a.location, b.location),
    );
    const whole = byPriority.find((c) => c.available >= line.qty);
    if (whole) {
      out.push({ sku: line.sku, location: whole.location, qty: line.qty });
      continue;
    }
    let left = line.qty;
    for (const c of [...byPriority].sort((a, b) => b.available - a.available)) {
      if (left === 0) break;
      const take = Math.min(left, c.available);
      out.push({ sku: line.sku, location: c.location, qty: take });
      left -= take;
    }
    if (left > 0) return undefined;
  }
  return out;
}

function* combinations<T>(items: readonly T[], k: number, start = 0): Generator<T[]> {
  if (k === 0) {
    yield [];
    return;
  }
  for (let i = start; i <= items.length - k; i++) {
    for (const rest of combinations(items, k - 1, i + 1)) yield [items[i] as T, ...rest];
  }
}

function lexLess(a: readonly number[], b: readonly number[]): boolean {
  for (let i = 0; i < a.length; i++) {
    if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) < (b[i] ?? 0);
  }
  return false;
}

// --- Reservations -----------------------------------------------------------------------------

export const RESERVATION_STATUSES = ['held', 'committed', 'released'] as const;
export type ReservationStatus = (typeof RESERVATION_STATUSES)[number];

export interface Reservation {
  readonly id: string;
  readonly status: ReservationStatus;
  readonly releaseReason: 'requested' | 'expired' | null;
  readonly lines: Line[];
  readonly pickupLocation: string | null;
  readonly expiresAt: Date;
  readonly createdAt: Date;
  readonly committedAt: Date | null;
  readonly releasedAt: Date | null;
  readonly allocations: Allocation[];
}

/** A retry with the same id must ask for the same thing; anything else is a client bug, not a new hold. */
export function assertSameRequest(
  existing: Pick<Reservation, 'id' | 'lines' | 'pickupLocation'>,
  lines: readonly Line[],
  pickupLocation: string | null,
): void {
  const same =
    existing.pickupLocation === pickupLocation &&
    existing.lines.length === lines.length &&
    existing.lines.every((l, i) => l.sku === lines[i]?.sku && l.qty === lines[i]?.qty);
  if (!same) throw new IdempotencyMismatch(`reservation ${existing.id} exists with other lines`);
}

/**
 * After a conditional transition matched no row: is the reservation already where the caller
 * wanted it (a repeat, answered with the same state) or somewhere it cannot come back from?
 */
export function explainTransition(
  r: Pick<Reservation, 'id' | 'status' | 'expiresAt'>,
  target: 'committed' | 'released',
  now: Date,
): 'noop' {
  if (r.status === target) return 'noop';
  if (r.status === 'held' && target === 'committed' && r.expiresAt <= now) {
    throw new InvalidTransition(`reservation ${r.id} expired at ${r.expiresAt.toISOString()}`, {
      extensions: { reservationStatus: r.status, expired: true },
    });
  }
  throw new InvalidTransition(`reservation ${r.id} is ${r.status}; it cannot be ${target}`, {
    extensions: { reservationStatus: r.status },
  });
}

// --- Staff adjustments ------------------------------------------------------------------------

export const ADJUSTMENT_REASONS = ['receipt', 'damage', 'correction', 'count'] as const;
export type Adjustment =
  | { readonly reason: 'receipt'; readonly qty: number }
  | { readonly reason: 'damage'; readonly qty: number }
  | { readonly reason: 'correction'; readonly delta: number }
  | { readonly reason: 'count'; readonly onHand: number };

/** The new on_hand after an adjustment; refused when it would fall below what is reserved. */
/** The most units a row may hold on hand (the stock_on_hand_bounded CHECK of migration 001). */
export const MAX_ON_HAND = 1_000_000_000;

export function adjustedOnHand(level: { onHand: number; reserved: number }, a: Adjustment): number {
  const next =
    a.reason === 'receipt'
      ? level.onHand + a.qty
      : a.reason === 'damage'
        ? level.onHand - a.qty
        : a.reason === 'correction'
          ? level.onHand + a.delta
          : a.onHand;
  if (next < level.reserved) {
    throw new InsufficientStock(
      `on hand would be ${next} but ${level.reserved} are reserved: release or commit reservations first`,
      { extensions: { onHand: level.onHand, reserved: level.reserved } },
    );
  }
  if (next > MAX_ON_HAND) throw new InsufficientStock('on hand would exceed 1 000 000 000 units');
  return next;
}

/** JSON with object keys sorted, so two requests compare equal whatever order their fields came in. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_k, v) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => cmp(a, b)))
      : v,
  );
}
