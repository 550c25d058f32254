import { NotFound, type Queryable, ServiceUnavailable } from '@storefront/kit';
import type { Core } from './core.ts';
import {
  allocate,
  assertSameRequest,
  explainTransition,
  type Line,
  normalizeLines,
  type Reservation,
} from './domain.ts';
import { changeSet } from './domain-events.ts';
import { OutOfStock, translatePgError, UnknownLocation } from './errors.ts';
import { publishStockChanges } from './events.ts';
import * as store from './store.ts';

/**
 * Reservations: held → committed | released (expired holds are released by the sweeper). Each
 * operation is one transaction that locks the reservation row first and stock rows after, in
 * (sku, location) order.
 */

export interface ReserveRequest {
  readonly id: string;
  readonly lines: readonly Line[];
  readonly ttlSeconds: number;
  readonly pickupLocation?: string | undefined;
}

/** A plan lost a race for a row: roll back and plan again from fresh data. */
class LostRace extends Error {}

// Each lost race means another reservation took units of that row and committed, so retries are
// bounded by the units being fought over; past this many the caller gets a 503 and retries later.
const MAX_ATTEMPTS = 30;
const RETRYABLE = new Set(['40P01', '40001']);

export async function reserve(
  core: Core,
  req: ReserveRequest,
): Promise<{ reservation: Reservation; created: boolean }> {
  const lines = normalizeLines(req.lines);
  const pickup = req.pickupLocation ?? null;
  if (pickup) {
    const loc = await store.getLocation(core.db, pickup);
    if (!loc?.pickupEnabled) throw new UnknownLocation(`${pickup} is not a store with pickup`);
  }
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    try {
      return await core.db.tx((tx) => reserveOnce(core, tx, req.id, lines, pickup, req.ttlSeconds));
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (!(err instanceof LostRace) && !(code && RETRYABLE.has(code))) throw err;
      // Jitter so the losers of one race do not collide again in lockstep.
      await new Promise((r) => setTimeout(r, Math.random() * Math.min(20, attempt * 2)));
    }
  }
  throw new ServiceUnavailable('stock for these items is heavily contended; retry shortly', {
    extensions: { retryAfter: 1 },
  });
}

async function reserveOnce(
  core: Core,
  tx: Queryable,
  id: string,
  lines: Line[],
  pickup: string | null,
  ttlSeconds: number,
): Promise<{ reservation: Reservation; created: boolean }> {
  const now = core.clock();
  const expiresAt = new Date(now.getTime() + ttlSeconds * 1000);
  const { inserted, candidates } = await store.insertReservation(tx, {
    id,
    lines,
    pickupLocation: pickup,
    expiresAt,
    now,
  });
  if (!inserted) {
    const existing = await store.getReservation(tx, id);
    if (!existing) throw new LostRace('the reservation vanished under us');
    assertSameRequest(existing, lines, pickup);
    return { reservation: existing, created: false };
  }
  const plan = allocate(lines, candidates, { pickupLocation: pickup ?? undefined });
  if (!plan.ok) throw new OutOfStock(plan.shortfalls, pickup ?? undefined);
  const changes = changeSet();
  for (const a of plan.allocations) {
    const c = await store.reserveRow(tx, { reservationId: id, ...a }, now);
    if (!c) throw new LostRace(`${a.sku}@${a.location}`);
    changes.record(c);
  }
  await publishStockChanges(tx, core.outbox, changes, 'reservation');
  return {
    reservation: {
      id,
      status: 'held',
      releaseReason: null,
      lines,
      pickupLocation: pickup,
      expiresAt,
      createdAt: now,
      committedAt: null,
      releasedAt: null,
      allocations: plan.allocations,
    },
    created: true,
  };
}

export async function getReservation(core: Core, id: string): Promise<Reservation> {
  const r = await store.getReservation(core.db, id);
  if (!r) throw new NotFound(`no reservation ${id}`);
  return r;
}

/** The sale: reserved units leave on_hand. Repeating it is a no-op; after release or expiry, 409. */
export async function commit(core: Core, id: string): Promise<Reservation> {
  await transaction(core, async (tx) => {
    const now = core.clock();
    if (!(await store.markCommitted(tx, id, now))) return explain(tx, id, 'committed', now);
    const allocations = await store.allocationsOf(tx, [id]);
    const changes = changeSet();
    for (const a of allocations) changes.record(must(await store.commitRow(tx, a.sku, a.location, a.qty, now), a));
    await store.insertMovements(
      tx,
      allocations.map((a) => ({ ...a, delta: -a.qty, reason: 'sale', ref: `reservation:${id}` })),
      now,
    );
    await publishStockChanges(tx, core.outbox, changes, 'commit');
  });
  return getReservation(core, id);
}

/** Gives the units back. Repeating it is a no-op; after commit, 409. */
export async function release(core: Core, id: string): Promise<Reservation> {
  await transaction(core, async (tx) => {
    const now = core.clock();
    if (!(await store.markReleased(tx, id, now))) return explain(tx, id, 'released', now);
    const changes = changeSet();
    for (const a of await store.allocationsOf(tx, [id])) {
      changes.record(must(await store.unreserveRow(tx, a.sku, a.location, a.qty, now), a));
    }
    await publishStockChanges(tx, core.outbox, changes, 'release');
  });
  return getReservation(core, id);
}

const transaction = <T>(core: Core, fn: (tx: Queryable) => Promise<T>) => core.db.tx(fn).catch(translatePgError);

async function explain(tx: Queryable, id: string, target: 'committed' | 'released', now: Date) {
  const r = await store.getReservation(tx, id);
  if (!r) throw new NotFound(`no reservation ${id}`);
  explainTransition(r, target, now);
}

/** A held reservation's units are reserved by construction; a row without them is a bug, loudly. */
export function must<T>(row: T | null, a: { sku: string; location: string }): T {
  if (!row) throw new Error(`invariant broken: reserved units of ${a.sku}@${a.location} are missing`);
  return row;
}
