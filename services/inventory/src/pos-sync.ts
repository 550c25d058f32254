import { createHash } from 'node:crypto';
import { NotFound, type Queryable } from '@storefront/kit';
import type { Core } from './core.ts';
import { canonicalJson } from './domain.ts';
import { changeSet } from './domain-events.ts';
import { applyPosLine, orderPosLines, type PosLine, type PosOutcome, type PosState } from './domain-pos.ts';
import { IdempotencyMismatch, translatePgError } from './errors.ts';
import { publishStockChanges } from './events.ts';
import * as store from './store.ts';

/**
 * A store till's batch of sales and counts (rules in domain-pos.ts), applied in one transaction.
 * The batch id is claimed first: a retried batch replays the stored result and changes nothing;
 * a line id already recorded by an earlier batch is reported `duplicate` and skipped.
 */

export interface PosLineResult {
  readonly lineId: string;
  readonly sku: string;
  readonly outcome: PosOutcome;
  /** on_hand of the row after this line. */
  readonly onHand: number;
  readonly shortfall: number;
}

export interface PosResult {
  readonly batchId: string;
  readonly location: string;
  readonly lines: PosLineResult[];
}

class Replay extends Error {}

export async function posSync(
  core: Core,
  location: string,
  batch: { batchId: string; lines: readonly PosLine[] },
): Promise<{ result: PosResult; replayed: boolean }> {
  if (!(await store.getLocation(core.db, location))) throw new NotFound(`no location ${location}`);
  const hash = createHash('sha256')
    .update(canonicalJson(batch.lines.map((l) => ({ ...l, at: l.at.toISOString() }))))
    .digest('hex');
  const replay = async () => {
    const found = await store.getBatch<PosResult>(core.db, location, batch.batchId);
    if (!found?.result) return undefined;
    if (found.hash !== hash) throw new IdempotencyMismatch(`batch ${batch.batchId} was sent with other lines`);
    return { result: found.result, replayed: true };
  };
  const earlier = await replay();
  if (earlier) return earlier;
  try {
    const result = await core.db.tx(async (tx) => {
      const now = core.clock();
      if (!(await store.claimBatch(tx, { location, batchId: batch.batchId, hash, now }))) throw new Replay();
      const result = await applyBatch(core, tx, location, batch, now);
      await store.saveBatchResult(tx, location, batch.batchId, result);
      return result;
    });
    return { result, replayed: false };
  } catch (err) {
    if (!(err instanceof Replay)) translatePgError(err);
    const again = await replay();
    if (!again) throw new Error(`batch ${batch.batchId} was claimed but has no result`);
    return again;
  }
}

async function applyBatch(
  core: Core,
  tx: Queryable,
  location: string,
  batch: { batchId: string; lines: readonly PosLine[] },
  now: Date,
): Promise<PosResult> {
  const known = await store.knownLines(
    tx,
    location,
    batch.lines.map((l) => l.lineId),
  );
  const results = new Map<string, PosLineResult>();
  const changes = changeSet();
  const moves: store.Movement[] = [];
  const ordered = orderPosLines(batch.lines);
  // Lines are sorted by sku: one row at a time, created if new, then locked — the usual lock order.
  for (const sku of [...new Set(ordered.map((l) => l.sku))]) {
    const lines = ordered.filter((l) => l.sku === sku);
    await store.ensureRow(tx, sku, location, now);
    const row = await store.lockRow(tx, sku, location);
    if (!row) throw new Error('the row ensured a moment ago is gone');
    let state: PosState = { onHand: row.onHand, reserved: row.reserved, lastCountedAt: row.lastCountedAt };
    for (const line of lines) {
      const duplicate = { lineId: line.lineId, sku, outcome: 'duplicate', onHand: state.onHand, shortfall: 0 } as const;
      if (known.has(line.lineId)) {
        results.set(line.lineId, duplicate);
        continue;
      }
      const sold = line.type === 'count' ? await store.salesAfter(tx, location, sku, line.at) : 0;
      const step = applyPosLine(state, line, sold);
      // A batch carrying the same line that committed after we looked: it counted, we do not.
      if (!(await store.recordLine(tx, location, batch.batchId, line, step.outcome))) {
        results.set(line.lineId, duplicate);
        continue;
      }
      const delta = step.state.onHand - state.onHand;
      if (delta)
        moves.push({ sku, location, delta, reason: `pos-${line.type}`, ref: `pos:${batch.batchId}:${line.lineId}` });
      state = step.state;
      results.set(line.lineId, {
        lineId: line.lineId,
        sku,
        outcome: step.outcome,
        onHand: state.onHand,
        shortfall: step.shortfall,
      });
    }
    if (state.onHand !== row.onHand || state.lastCountedAt !== row.lastCountedAt) {
      await store.setOnHand(tx, row, state.onHand, now, state.lastCountedAt);
    }
    if (state.onHand !== row.onHand) {
      changes.record({ ...row, before: row, after: { onHand: state.onHand, reserved: row.reserved } });
    }
  }
  await store.insertMovements(tx, moves, now);
  await publishStockChanges(tx, core.outbox, changes, 'pos');
  return {
    batchId: batch.batchId,
    location,
    lines: batch.lines.map((l) => results.get(l.lineId) as PosLineResult),
  };
}
