import { createHash } from 'node:crypto';

/**
 * The ledger's hash chain, pure: entry n stores prev_hash = hash(n-1) and
 * hash = sha256(prev_hash || canonical JSON of the entry). Changing any field of any entry, or
 * removing or reordering one, changes every later hash, which `verify` recomputes.
 */
export const GENESIS_HASH = '0'.repeat(64);

export const LEDGER_KINDS = ['authorization', 'capture', 'refund', 'void'] as const;
export type LedgerKind = (typeof LEDGER_KINDS)[number];

export interface LedgerEntry {
  readonly seq: number;
  readonly id: string;
  readonly at: Date;
  readonly kind: LedgerKind;
  readonly paymentId: string;
  readonly orderId: string;
  readonly refundId: string | null;
  readonly amount: number;
  readonly currency: string;
  readonly provider: string;
  readonly providerRef: string | null;
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** JSON with object keys sorted at every level and no whitespace: one text per value. */
export function canonicalJson(value: Json): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const keys = Object.keys(value).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k] as Json)}`).join(',')}}`;
}

export function entryJson(e: LedgerEntry): Json {
  return {
    seq: e.seq,
    id: e.id,
    at: e.at.toISOString(),
    kind: e.kind,
    paymentId: e.paymentId,
    orderId: e.orderId,
    refundId: e.refundId,
    amount: e.amount,
    currency: e.currency,
    provider: e.provider,
    providerRef: e.providerRef,
  };
}

export function entryHash(prevHash: string, e: LedgerEntry): string {
  return createHash('sha256')
    .update(prevHash + canonicalJson(entryJson(e)), 'utf8')
    .digest('hex');
}

export type ChainBreak = { readonly seq: number; readonly reason: string };

/** Checks one stored row against the chain so far; undefined when it holds. */
export function checkLink(
  expected: { seq: number; prevHash: string },
  row: LedgerEntry & { prevHash: string; hash: string },
): ChainBreak | undefined {
  if (row.seq !== expected.seq) return { seq: expected.seq, reason: `sequence gap: found ${row.seq}` };
  if (row.prevHash !== expected.prevHash) return { seq: row.seq, reason: 'prev_hash does not match the entry before' };
  if (entryHash(row.prevHash, row) !== row.hash) return { seq: row.seq, reason: 'hash does not match the entry' };
  return undefined;
}
