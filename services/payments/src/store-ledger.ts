import type { Queryable } from '@storefront/kit';
import {
  type ChainBreak,
  checkLink,
  entryHash,
  GENESIS_HASH,
  type LedgerEntry,
  type LedgerKind,
} from './ledger-hash.ts';

/** The ledger's SQL. Appends happen in the transaction of the state change they record. */

export interface NewEntry {
  readonly id: string;
  readonly at: Date;
  readonly kind: LedgerKind;
  readonly paymentId: string;
  readonly orderId: string;
  readonly refundId?: string | null;
  readonly amount: number;
  readonly currency: string;
  readonly provider: string;
  readonly providerRef: string | null;
}

/**
 * Appends under the chain head's row lock: concurrent appends queue here, so each sees the hash
 * the previous one wrote. Callers append last in their transaction to hold the lock briefly.
 */
export async function appendLedger(tx: Queryable, e: NewEntry): Promise<LedgerEntry & { hash: string }> {
  const { rows } = await tx.query<{ seq: number; hash: string }>(
    'SELECT seq, hash FROM ledger_head WHERE singleton FOR UPDATE',
  );
  const head = rows[0];
  if (!head) throw new Error('ledger_head is missing');
  const entry: LedgerEntry = { ...e, refundId: e.refundId ?? null, seq: Number(head.seq) + 1 };
  const hash = entryHash(head.hash, entry);
  await tx.query(
    `INSERT INTO ledger (seq, id, at, kind, payment_id, order_id, refund_id, amount, currency, provider, provider_ref,
       prev_hash, hash)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
    [
      entry.seq,
      entry.id,
      entry.at,
      entry.kind,
      entry.paymentId,
      entry.orderId,
      entry.refundId,
      entry.amount,
      entry.currency,
      entry.provider,
      entry.providerRef,
      head.hash,
      hash,
    ],
  );
  await tx.query('UPDATE ledger_head SET seq = $1, hash = $2 WHERE singleton', [entry.seq, hash]);
  return { ...entry, hash };
}

interface Row {
  seq: number;
  id: string;
  at: Date;
  kind: LedgerKind;
  payment_id: string;
  order_id: string;
  refund_id: string | null;
  amount: number;
  currency: string;
  provider: string;
  provider_ref: string | null;
  prev_hash: string;
  hash: string;
}

export type Verification =
  | { readonly ok: true; readonly entries: number; readonly head: { seq: number; hash: string } }
  | { readonly ok: false; readonly entries: number; readonly brokenAt: number; readonly reason: string };

/** Recomputes the whole chain in pages, then checks the head points at its end. */
export async function verifyLedger(q: Queryable, pageSize = 1000): Promise<Verification> {
  let expected = { seq: 1, prevHash: GENESIS_HASH };
  let entries = 0;
  const broken = (b: ChainBreak): Verification => ({ ok: false, entries, brokenAt: b.seq, reason: b.reason });
  for (;;) {
    const { rows } = await q.query<Row>(
      `SELECT seq, id, at, kind, payment_id, order_id, refund_id, amount, currency, provider, provider_ref, prev_hash,
         hash FROM ledger WHERE seq >= $1 ORDER BY seq LIMIT $2`,
      [expected.seq, pageSize],
    );
    for (const r of rows) {
      const row = {
        seq: Number(r.seq),
        id: r.id,
        at: r.at,
        kind: r.kind,
        paymentId: r.payment_id,
        orderId: r.order_id,
        refundId: r.refund_id,
        amount: Number(r.amount),
        currency: r.currency,
        provider: r.provider,
        providerRef: r.provider_ref,
        prevHash: r.prev_hash,
        hash: r.hash,
      };
      const bad = checkLink(expected, row);
      if (bad) return broken(bad);
      entries++;
      expected = { seq: row.seq + 1, prevHash: row.hash };
    }
    if (rows.length < pageSize) break;
  }
  const { rows } = await q.query<{ seq: number; hash: string }>('SELECT seq, hash FROM ledger_head WHERE singleton');
  const head = rows[0];
  if (!head || Number(head.seq) !== expected.seq - 1 || head.hash !== expected.prevHash) {
    return broken({ seq: expected.seq - 1, reason: 'the chain head does not point at the last entry' });
  }
  return { ok: true, entries, head: { seq: Number(head.seq), hash: head.hash } };
}
