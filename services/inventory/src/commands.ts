import type { EventEnvelope, EventPayload } from '@storefront/contracts';
import { type Bus, type Db, DomainError, type Queryable, ServiceUnavailable } from '@storefront/kit';
import type pg from 'pg';
import type { Core } from './core.ts';
import { lockOrder } from './domain.ts';
import { changeSet } from './domain-events.ts';
import { OutOfStock } from './errors.ts';
import { publishStockChanges } from './events.ts';
import { commit, must, release, reserve } from './reservations.ts';
import * as store from './store.ts';

/**
 * The checkout saga's commands to inventory (ARCHITECTURE.md §6), applied in the inbox
 * transaction the bus hands us: the stock change, the dedupe record and the outcome event commit
 * together. The existing reservation functions run unchanged on a Db whose `tx` is a SAVEPOINT
 * inside that transaction, so their retry-on-lost-race loop still works.
 * Every command is idempotent on the ids inside it: a re-driven command re-announces its outcome.
 */
export const COMMANDS = [
  'inventory.reserve-requested.v1',
  'inventory.commit-requested.v1',
  'inventory.release-requested.v1',
  'inventory.restock-requested.v1',
] as const;
type CommandSubject = (typeof COMMANDS)[number];
type Command = { [S in CommandSubject]: EventEnvelope<S> }[CommandSubject];

/** One consumer, so a release sent after a reserve for the same order is applied after it. */
export function subscribeCommands(bus: Bus, core: Core): void {
  bus.subscribe('commands', COMMANDS, async (event, ctx) => {
    const c = { ...core, db: nested(core.db, ctx.tx) };
    const command = event as Command;
    switch (command.subject) {
      case 'inventory.reserve-requested.v1':
        return reserveRequested(c, ctx.tx, command.payload);
      case 'inventory.commit-requested.v1':
        return commitRequested(c, ctx.tx, command.payload);
      case 'inventory.release-requested.v1':
        return releaseRequested(c, ctx.tx, command.payload);
      case 'inventory.restock-requested.v1':
        return restockRequested(c, ctx.tx, command.payload);
    }
  });
}

/** The Db the reservation functions expect, whose transactions are savepoints of the inbox one. */
export function nested(db: Db, tx: pg.PoolClient): Db {
  let n = 0;
  return {
    ...db,
    query: (text, params) => tx.query(text, params as unknown[]),
    async tx(fn) {
      const sp = `cmd_${++n}`;
      await tx.query(`SAVEPOINT ${sp}`);
      try {
        const r = await fn(tx);
        await tx.query(`RELEASE SAVEPOINT ${sp}`);
        return r;
      } catch (err) {
        await tx.query(`ROLLBACK TO SAVEPOINT ${sp}`);
        throw err;
      }
    },
  };
}

const tombstone = (id: string) => `released:${id}`;

export async function reserveRequested(
  core: Core,
  tx: Queryable,
  p: EventPayload<'inventory.reserve-requested.v1'>,
): Promise<void> {
  const failed = async (reason: string, unavailable: { sku: string; requested: number; available: number }[] = []) => {
    await core.outbox.add(tx, 'inventory.reservation-failed.v1', {
      orderId: p.orderId,
      reservationId: p.reservationId,
      reason: reason.slice(0, 500),
      unavailable,
    });
  };
  // A release that overtook its reserve (a re-drive) must win: never hold stock for a cancelled order.
  if (await store.findOperation(tx, tombstone(p.reservationId))) return failed('the reservation was cancelled');
  try {
    const { reservation: r } = await reserve(core, {
      id: p.reservationId,
      lines: p.lines,
      ttlSeconds: p.ttlSeconds,
      pickupLocation: p.pickupLocation,
    });
    if (r.status === 'released') return failed('the hold was released before it was confirmed');
    await core.outbox.add(tx, 'inventory.reserved.v1', {
      orderId: p.orderId,
      reservationId: r.id,
      expiresAt: r.expiresAt.toISOString(),
      allocations: r.allocations.map((a) => ({ sku: a.sku, location: a.location, qty: a.qty })),
    });
  } catch (err) {
    if (err instanceof OutOfStock) {
      const short = (err.extensions.shortfalls ?? []) as { sku: string; requested: number; available: number }[];
      return failed(`out of stock: ${short.map((s) => s.sku).join(', ')}`, short);
    }
    // Contention and outages are retried by the bus; other refusals are final answers.
    if (err instanceof DomainError && !(err instanceof ServiceUnavailable)) return failed(err.message);
    throw err;
  }
}

export async function commitRequested(
  core: Core,
  tx: Queryable,
  p: EventPayload<'inventory.commit-requested.v1'>,
): Promise<void> {
  const r = await store.getReservation(tx, p.reservationId);
  if (r?.status === 'held' || r?.status === 'committed') {
    try {
      await commit(core, p.reservationId);
      await core.outbox.add(tx, 'inventory.committed.v1', { orderId: p.orderId, reservationId: p.reservationId });
      return;
    } catch (err) {
      if (!(err instanceof DomainError) || err instanceof ServiceUnavailable) throw err;
      return commitFailed(core, tx, p, err.message);
    }
  }
  return commitFailed(core, tx, p, r ? `the reservation is ${r.status}` : 'no such reservation');
}

async function commitFailed(
  core: Core,
  tx: Queryable,
  p: { orderId: string; reservationId: string },
  reason: string,
): Promise<void> {
  await core.outbox.add(tx, 'inventory.commit-failed.v1', { ...p, reason: reason.slice(0, 500) });
}

/**
 * The compensation: a hold is released; a committed sale is put back on hand (once, keyed by the
 * reservation in `operations`), since the order that bought it was cancelled after the commit.
 */
export async function releaseRequested(
  core: Core,
  tx: Queryable,
  p: EventPayload<'inventory.release-requested.v1'>,
): Promise<void> {
  const r = await store.getReservation(tx, p.reservationId);
  const now = core.clock();
  if (!r) {
    await store.claimOperation(tx, { id: tombstone(p.reservationId), kind: 'release', request: p, now });
  } else if (r.status === 'held') {
    await release(core, p.reservationId);
  } else if (r.status === 'committed') {
    const claimed = await store.claimOperation(tx, { id: `uncommit:${r.id}`, kind: 'uncommit', request: p, now });
    if (claimed) await putBack(core, tx, r.allocations, 'cancel', `reservation:${r.id}`, now);
  }
  await core.outbox.add(tx, 'inventory.released.v1', { orderId: p.orderId, reservationId: p.reservationId });
}

/** Returned units back on hand at the chosen location, once per return. */
export async function restockRequested(
  core: Core,
  tx: Queryable,
  p: EventPayload<'inventory.restock-requested.v1'>,
): Promise<void> {
  const now = core.clock();
  const claimed = await store.claimOperation(tx, { id: `restock:${p.returnId}`, kind: 'restock', request: p, now });
  if (claimed) {
    if (!(await store.getLocation(tx, p.location))) {
      throw new Error(`restock for return ${p.returnId}: no location ${p.location}`);
    }
    for (const l of p.lines) await store.ensureRow(tx, l.sku, p.location, now);
    const lines = lockOrder(p.lines.map((l) => ({ sku: l.sku, location: p.location, qty: l.qty })));
    await putBack(core, tx, lines, 'return', `return:${p.returnId}`, now);
  }
  await core.outbox.add(tx, 'inventory.restocked.v1', {
    orderId: p.orderId,
    returnId: p.returnId,
    location: p.location,
  });
}

async function putBack(
  core: Core,
  tx: Queryable,
  lines: readonly { sku: string; location: string; qty: number }[],
  reason: string,
  ref: string,
  now: Date,
) {
  const changes = changeSet();
  for (const a of lockOrder(lines)) changes.record(must(await store.addOnHand(tx, a.sku, a.location, a.qty, now), a));
  await store.insertMovements(
    tx,
    lines.map((a) => ({ ...a, delta: a.qty, reason, ref })),
    now,
  );
  await publishStockChanges(tx, core.outbox, changes, reason);
}
