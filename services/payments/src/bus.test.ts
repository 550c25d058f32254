import { newId } from '@storefront/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authorizeCommand, type TestPayments, testPayments } from './test-harness.ts';
import { type FakeStripe, startFakeStripe } from './testing/fake-stripe.ts';

/**
 * End to end through the real bus: an "orders" outbox in its own schema publishes the commands on
 * JetStream, payments' durable consumers apply them (inbox, retries with backoff), and the outcomes
 * land in payments' outbox. Both providers are enabled; the token picks one.
 */
let fake: FakeStripe;
let t: TestPayments;
beforeAll(async () => {
  fake = await startFakeStripe();
  t = await testPayments({ sandbox: true, stripe: fake, stripeTimeoutMs: 300, bus: true });
});
afterAll(async () => {
  await t.close();
  await fake.close();
});

const ref = (c: { orderId: string; paymentId: string }) => ({ orderId: c.orderId, paymentId: c.paymentId });
const waitForOutcome = (paymentId: string, subject: string, count = 1) =>
  t.waitFor(async () => (await t.outcomes(paymentId)).filter((e) => e.subject === subject).length >= count, 20_000);
const ledgerKinds = async (paymentId: string) =>
  (
    await t.db.query<{ kind: string }>('SELECT kind FROM ledger WHERE payment_id = $1 ORDER BY seq', [paymentId])
  ).rows.map((r) => r.kind);

describe('payments on the real bus', () => {
  it('sandbox: a processing error is retried by the bus; capture and refund; repeated commands apply once', async () => {
    const cmd = authorizeCommand(await t.card('4000000000000119'));
    await t.publish('payment.authorize-requested.v1', cmd);
    await waitForOutcome(cmd.paymentId, 'payment.authorized.v1');
    const { rows: failures } = await t.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM sandbox_flaky WHERE idempotency_key = $1`,
      [`pi:${cmd.paymentId}`],
    );
    expect(failures[0]?.n).toBe(1);

    await t.publish('payment.capture-requested.v1', { ...ref(cmd), amount: cmd.amount });
    await t.publish('payment.capture-requested.v1', { ...ref(cmd), amount: cmd.amount });
    await waitForOutcome(cmd.paymentId, 'payment.captured.v1', 2);
    const refund = { ...ref(cmd), refundId: newId(), amount: cmd.amount, reason: 'returned' };
    await t.publish('payment.refund-requested.v1', refund);
    await t.publish('payment.refund-requested.v1', refund);
    await waitForOutcome(cmd.paymentId, 'payment.refunded.v1', 2);

    expect(await ledgerKinds(cmd.paymentId)).toEqual(['authorization', 'capture', 'refund']);
    const { rows } = await t.db.query('SELECT state, amount_captured, amount_refunded FROM payments WHERE id = $1', [
      cmd.paymentId,
    ]);
    expect(rows).toEqual([{ state: 'refunded', amount_captured: 5_000, amount_refunded: 5_000 }]);
    const dead = await t.db.query('SELECT 1 FROM dead_letters');
    expect(dead.rowCount).toBe(0);
  });

  it('stripe: a hang hits our timeout, the SDK gives up, the bus retries with the same key — one intent', async () => {
    // The first attempt and both SDK retries hang; the first was processed, so the bus's retry gets it replayed.
    fake.failNext(3, 'hang');
    const cmd = authorizeCommand('pm_card_visa');
    await t.publish('payment.authorize-requested.v1', cmd);
    await waitForOutcome(cmd.paymentId, 'payment.authorized.v1');
    const calls = fake.calls.filter(
      (c) => c.path === '/v1/payment_intents' && c.idempotencyKey === `pi:${cmd.paymentId}`,
    );
    expect(calls.map((c) => [c.status, c.replayed])).toEqual([
      ['hung', false],
      ['hung', false],
      ['hung', false],
      [200, true],
    ]);
    expect([...fake.intents.values()].filter((i) => i.metadata.paymentId === cmd.paymentId)).toHaveLength(1);
    // A capture that races a void: the void wins, the capture is dead-lettered, nothing new is announced.
    await t.publish('payment.void-requested.v1', { ...ref(cmd), reason: 'cancelled' });
    await waitForOutcome(cmd.paymentId, 'payment.voided.v1');
    await t.publish('payment.capture-requested.v1', { ...ref(cmd), amount: cmd.amount });
    await t.waitFor(async () => ((await t.db.query('SELECT 1 FROM dead_letters')).rowCount ?? 0) > 0, 20_000);
    const { rows } = await t.db.query<{ error: string }>('SELECT error FROM dead_letters');
    expect(rows[0]?.error).toContain('cannot capture a payment that is voided');
    expect((await t.outcomes(cmd.paymentId)).map((e) => e.subject)).toEqual([
      'payment.authorized.v1',
      'payment.voided.v1',
    ]);
  });
});
