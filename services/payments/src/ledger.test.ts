import { newId } from '@storefront/contracts';
import { jsonOf, testEnv } from '@storefront/kit/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendLedger, verifyLedger } from './store-ledger.ts';
import { authorizeCommand, type TestPayments, testPayments } from './test-harness.ts';

let t: TestPayments;
beforeAll(async () => {
  t = await testPayments({ sandbox: true });
});
afterAll(() => t.close());

const admin = { sub: 'staff-1', roles: ['admin' as const] };
const entry = () => ({
  id: newId(),
  at: new Date(),
  kind: 'capture' as const,
  paymentId: newId(),
  orderId: newId(),
  amount: 1_234,
  currency: 'EUR',
  provider: 'sandbox',
  providerRef: 'si_x',
});

describe('the hash-chained ledger', () => {
  it('concurrent appends queue on the chain head: no fork, no gap', async () => {
    await Promise.all(Array.from({ length: 25 }, () => t.db.tx((tx) => appendLedger(tx, entry()))));
    const v = await verifyLedger(t.db, 7);
    expect(v).toMatchObject({ ok: true, entries: 25, head: { seq: 25 } });
  });

  it('refuses UPDATE, DELETE and TRUNCATE', async () => {
    await expect(t.db.query('UPDATE ledger SET amount = 1 WHERE seq = 1')).rejects.toThrow(/append-only/);
    await expect(t.db.query('DELETE FROM ledger WHERE seq = 1')).rejects.toThrow(/append-only/);
    await expect(t.db.query('TRUNCATE ledger')).rejects.toThrow(/append-only/);
  });

  it('money movements from commands append in their own transaction and verify', async () => {
    const cmd = authorizeCommand(await t.card('4242424242424242'));
    await t.run('payment.authorize-requested.v1', cmd);
    await t.run('payment.capture-requested.v1', { orderId: cmd.orderId, paymentId: cmd.paymentId, amount: cmd.amount });
    const res = await jsonOf(await t.call('GET', '/ledger/verify', { as: admin }));
    expect(res).toMatchObject({ ok: true, entries: 27 });
  });

  it('a tampered row (trigger disabled by a superuser) is reported at its sequence', async () => {
    // The trigger stops the service; a superuser can still switch it off. The hash chain is what catches that.
    const su = new pg.Client({ connectionString: testEnv().databaseUrl });
    await su.connect();
    try {
      await su.query(`SET search_path = ${t.db.schema}`);
      await su.query('ALTER TABLE ledger DISABLE TRIGGER ledger_no_update');
      await su.query('UPDATE ledger SET amount = amount + 1 WHERE seq = 12');
      await su.query('ALTER TABLE ledger ENABLE TRIGGER ledger_no_update');
    } finally {
      await su.end();
    }
    const res = await jsonOf(await t.call('GET', '/ledger/verify', { as: admin }));
    expect(res).toMatchObject({ ok: false, brokenAt: 12, entries: 11, reason: 'hash does not match the entry' });
  });
});
