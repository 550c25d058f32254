import { describe, expect, it } from 'vitest';
import { canonicalJson, checkLink, entryHash, GENESIS_HASH, type LedgerEntry } from './ledger-hash.ts';

const e1: LedgerEntry = {
  seq: 1,
  id: '0199a83f-8840-7236-b5b8-ba24de364311',
  at: new Date('2026-01-02T03:04:05.678Z'),
  kind: 'authorization',
  paymentId: '0199a83f-8840-7236-b5b8-ba24de364312',
  orderId: '0199a83f-8840-7236-b5b8-ba24de364313',
  refundId: null,
  amount: 5_000,
  currency: 'USD',
  provider: 'sandbox',
  providerRef: 'si_1',
};

describe('ledger hashes', () => {
  it('canonical JSON sorts keys at every level and has no whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { f: null, e: 'x' }], c: true } })).toBe(
      '{"a":{"c":true,"d":[2,{"e":"x","f":null}]},"b":1}',
    );
  });

  it('hash = sha256(prev_hash || canonical entry), stable and sensitive to every field', () => {
    const h = entryHash(GENESIS_HASH, e1);
    expect(h).toMatch(/^[0-9a-f]{64}$/);
    expect(entryHash(GENESIS_HASH, { ...e1 })).toBe(h);
    expect(entryHash(GENESIS_HASH, { ...e1, amount: 5_001 })).not.toBe(h);
    expect(entryHash(GENESIS_HASH, { ...e1, at: new Date(e1.at.getTime() + 1) })).not.toBe(h);
    expect(entryHash('1'.repeat(64), e1)).not.toBe(h);
  });

  it('checkLink finds a gap, a broken link and an altered entry', () => {
    const row = { ...e1, prevHash: GENESIS_HASH, hash: entryHash(GENESIS_HASH, e1) };
    expect(checkLink({ seq: 1, prevHash: GENESIS_HASH }, row)).toBeUndefined();
    expect(checkLink({ seq: 2, prevHash: GENESIS_HASH }, row)?.reason).toMatch(/sequence gap/);
    expect(checkLink({ seq: 1, prevHash: '1'.repeat(64) }, row)?.reason).toMatch(/prev_hash/);
    expect(checkLink({ seq: 1, prevHash: GENESIS_HASH }, { ...row, amount: 1 })?.reason).toMatch(/hash does not match/);
  });
});
