import type { Outbox, Queryable } from '@storefront/kit';
import { type ChangeSet, netChanges, rowEvents, totalEvent, totalMayCross } from './domain-events.ts';
import { changeVersion, lockedTotals } from './store-stock.ts';

/**
 * What inventory publishes, always through the outbox in the transaction of the change:
 * stock.changed.v1 per changed row, stock.low.v1 when a row crosses its threshold, and
 * stock.out.v1 / stock.back-in-stock.v1 when a SKU's total crosses zero. The saga's commands are
 * consumed in commands.ts.
 */
export async function publishStockChanges(
  tx: Queryable,
  outbox: Outbox,
  changes: ChangeSet,
  reason: string,
): Promise<void> {
  const rows = changes.rows();
  if (!rows.length) return;
  const version = await changeVersion(tx);
  for (const row of rows) {
    const e = rowEvents(row, reason, version);
    await outbox.add(tx, 'stock.changed.v1', e.changed);
    if (e.low) await outbox.add(tx, 'stock.low.v1', e.low);
  }
  const net = netChanges(rows);
  const uncertain = [...net.keys()].filter((sku) => totalMayCross(rows, sku));
  if (!uncertain.length) return;
  const totals = await lockedTotals(tx, uncertain);
  for (const sku of uncertain) {
    const e = totalEvent(sku, totals.get(sku) ?? 0, net.get(sku) ?? 0);
    if (e?.subject === 'stock.out.v1') await outbox.add(tx, e.subject, e.payload);
    if (e?.subject === 'stock.back-in-stock.v1') await outbox.add(tx, e.subject, e.payload);
  }
}

export interface Actor {
  /** The staff account, or null for a service (the orders saga, a POS integration). */
  readonly id: string | null;
  readonly type: 'account' | 'system';
}

/** A staff change for identity's audit log, in the change's transaction. */
export function audited(
  outbox: Outbox,
  tx: Queryable,
  a: {
    actor: Actor;
    action: string;
    target: { type: string; id: string };
    at: Date;
    requestId?: string | undefined;
    details?: Record<string, unknown>;
  },
) {
  return outbox.add(tx, 'audit.recorded.v1', {
    service: 'inventory',
    action: a.action,
    actor: a.actor,
    target: a.target,
    outcome: 'success',
    occurredAt: a.at.toISOString(),
    ...(a.requestId ? { requestId: a.requestId.slice(0, 128) } : {}),
    ...(a.details ? { details: a.details } : {}),
  });
}
