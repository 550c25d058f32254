import type { Queryable } from '@storefront/kit';
import type { Core } from './core.ts';
import { type Adjustment, adjustedOnHand, availableOf, canonicalJson, cmp, MAX_ON_HAND } from './domain.ts';
import { changeSet, type RowChange } from './domain-events.ts';
import { IdempotencyMismatch, InsufficientStock, translatePgError, UnknownLocation } from './errors.ts';
import { type Actor, audited, publishStockChanges } from './events.ts';
import * as store from './store.ts';

/**
 * Staff stock operations: adjustments with a reason, and transfers between locations. Both are
 * one transaction each (rows, ledger, events, audit) and may carry a client id: a retry with the
 * same id replays the first result, a different request with it is a 409.
 */

export interface StaffContext {
  readonly actor: Actor;
  readonly requestId?: string | undefined;
}

export interface RowLevel {
  readonly location: string;
  readonly onHand: number;
  readonly reserved: number;
  readonly available: number;
}

const level = (c: RowChange): RowLevel => ({
  location: c.location,
  onHand: c.after.onHand,
  reserved: c.after.reserved,
  available: availableOf(c.after),
});

/** A replay of an operation recorded under `id`, or undefined to run it. */
class Replay extends Error {}

async function once<R>(
  core: Core,
  op: { id: string | undefined; kind: string; request: unknown },
  run: (tx: Queryable, id: string, now: Date) => Promise<R>,
): Promise<{ result: R; replayed: boolean }> {
  const id = op.id ?? core.newId();
  const replay = async () => {
    const found = await store.findOperation<R>(core.db, id);
    if (!found) return undefined;
    if (found.kind !== op.kind || canonicalJson(found.request) !== canonicalJson(op.request)) {
      throw new IdempotencyMismatch(`operation ${id} was used for a different request`);
    }
    return { result: found.result, replayed: true };
  };
  if (op.id) {
    const earlier = await replay();
    if (earlier) return earlier;
  }
  try {
    const result = await core.db.tx(async (tx) => {
      const now = core.clock();
      if (!(await store.claimOperation(tx, { id, kind: op.kind, request: op.request, now }))) throw new Replay();
      const r = await run(tx, id, now);
      await store.saveOperationResult(tx, id, r);
      return r;
    });
    return { result, replayed: false };
  } catch (err) {
    if (!(err instanceof Replay)) translatePgError(err);
    const earlier = await replay();
    if (!earlier) throw new Error(`operation ${id} was claimed but is not recorded`);
    return earlier;
  }
}

export interface AdjustRequest {
  readonly id?: string | undefined;
  readonly sku: string;
  readonly location: string;
  readonly adjustment: Adjustment;
  readonly note?: string | undefined;
}

export interface AdjustResult extends RowLevel {
  readonly id: string;
  readonly sku: string;
  readonly reason: Adjustment['reason'];
  readonly delta: number;
}

export function adjust(core: Core, req: AdjustRequest, ctx: StaffContext) {
  const { id: _id, ...request } = req;
  return once<AdjustResult>(core, { id: req.id, kind: 'adjustment', request }, async (tx, id, now) => {
    await requireLocations(tx, [req.location]);
    await store.ensureRow(tx, req.sku, req.location, now);
    const row = await store.lockRow(tx, req.sku, req.location);
    if (!row) throw new Error('the row ensured a moment ago is gone');
    const onHand = adjustedOnHand(row, req.adjustment);
    await store.setOnHand(tx, row, onHand, now);
    const change: RowChange = { ...row, before: row, after: { onHand, reserved: row.reserved } };
    const changes = changeSet();
    changes.record(change);
    const delta = onHand - row.onHand;
    const reason = req.adjustment.reason;
    await store.insertMovements(
      tx,
      [
        {
          sku: req.sku,
          location: req.location,
          delta,
          reason,
          ref: `adjustment:${id}`,
          actor: ctx.actor.id,
          note: req.note,
        },
      ],
      now,
    );
    await publishStockChanges(tx, core.outbox, changes, reason);
    await audited(core.outbox, tx, {
      actor: ctx.actor,
      action: `stock.adjust.${reason}`,
      target: { type: 'stock', id: `${req.sku}@${req.location}` },
      at: now,
      requestId: ctx.requestId,
      details: { delta, onHand, operation: id },
    });
    return { id, sku: req.sku, reason, delta, ...level(change) };
  });
}

export interface TransferRequest {
  readonly id?: string | undefined;
  readonly sku: string;
  readonly from: string;
  readonly to: string;
  readonly qty: number;
  readonly note?: string | undefined;
}

export interface TransferResult {
  readonly id: string;
  readonly sku: string;
  readonly qty: number;
  readonly from: RowLevel;
  readonly to: RowLevel;
}

/** Moves available units between locations in one transaction; refused if the source lacks them or the destination would overflow. */
export function transfer(core: Core, req: TransferRequest, ctx: StaffContext) {
  const { id: _id, ...request } = req;
  return once<TransferResult>(core, { id: req.id, kind: 'transfer', request }, async (tx, id, now) => {
    await requireLocations(tx, [req.from, req.to]);
    await store.ensureRow(tx, req.sku, req.to, now);
    const changes = changeSet();
    // Both rows in lock order, whichever is the source.
    for (const location of [req.from, req.to].sort(cmp)) {
      const c =
        location === req.from
          ? await store.takeAvailable(tx, req.sku, location, req.qty, now)
          : await store.addOnHand(tx, req.sku, location, req.qty, now);
      if (!c) throw await transferRefusal(tx, req, location);
      changes.record(c);
    }
    const ref = `transfer:${id}`;
    await store.insertMovements(
      tx,
      [
        {
          sku: req.sku,
          location: req.from,
          delta: -req.qty,
          reason: 'transfer-out',
          ref,
          actor: ctx.actor.id,
          note: req.note,
        },
        {
          sku: req.sku,
          location: req.to,
          delta: req.qty,
          reason: 'transfer-in',
          ref,
          actor: ctx.actor.id,
          note: req.note,
        },
      ],
      now,
    );
    await publishStockChanges(tx, core.outbox, changes, 'transfer');
    await audited(core.outbox, tx, {
      actor: ctx.actor,
      action: 'stock.transfer',
      target: { type: 'stock', id: `${req.sku}@${req.from}` },
      at: now,
      requestId: ctx.requestId,
      details: { to: req.to, qty: req.qty, operation: id },
    });
    const [from, to] = [req.from, req.to].map((l) => changes.rows().find((r) => r.location === l));
    if (!from || !to) throw new Error('a transfer changed fewer than two rows');
    return { id, sku: req.sku, qty: req.qty, from: level(from), to: level(to) };
  });
}

/**
 * Why one side of a transfer refused, said of that side: the source lacks available units (with
 * `available`), or the destination would hold more than MAX_ON_HAND (with its `onHand` and the
 * `limit`, and no `available`, which would describe the wrong row). Both stay `insufficient_stock`.
 */
async function transferRefusal(tx: Queryable, req: TransferRequest, location: string): Promise<InsufficientStock> {
  const row = await store.readRow(tx, req.sku, location);
  if (location === req.from) {
    const available = row ? availableOf(row) : 0;
    return new InsufficientStock(
      `${req.sku} at ${req.from} has ${available} available (not reserved), ${req.qty} requested`,
      { extensions: { side: 'from', location: req.from, available, requested: req.qty } },
    );
  }
  if (!row) throw new Error('the destination row ensured a moment ago is gone');
  const onHand = row.onHand;
  return new InsufficientStock(
    `${req.sku} at ${req.to} has ${onHand} on hand: ${req.qty} more would exceed the limit of ${MAX_ON_HAND} units`,
    {
      extensions: {
        side: 'to',
        location: req.to,
        onHand,
        requested: req.qty,
        limit: MAX_ON_HAND,
        constraint: 'stock_on_hand_bounded',
      },
    },
  );
}

async function requireLocations(db: Queryable, codes: readonly string[]): Promise<void> {
  for (const code of codes) {
    if (!(await store.getLocation(db, code))) throw new UnknownLocation(`no location ${code}`);
  }
}
