import { newId } from '@storefront/contracts';
import { jsonOf } from '@storefront/kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProviderUnavailable } from './provider.ts';
import { authorizeCommand, RETURN_URL, type TestPayments, testPayments } from './test-harness.ts';
import { type FakeStripe, startFakeStripe } from './testing/fake-stripe.ts';

/** The real stripe-node SDK against the local fake of Stripe's API (src/testing/fake-stripe.ts). */
let fake: FakeStripe;
let t: TestPayments;
beforeAll(async () => {
  fake = await startFakeStripe();
  t = await testPayments({ stripe: fake, stripeTimeoutMs: 400 });
});
afterAll(async () => {
  await t.close();
  await fake.close();
});

const admin = { sub: 'staff-1', roles: ['admin' as const] };
const payment = async (id: string) => jsonOf(await t.call('GET', `/payments/${id}`, { as: admin }));
const subjects = async (id: string) => (await t.outcomes(id)).map((e) => e.subject);
const keyed = (key: string) => fake.calls.filter((c) => c.idempotencyKey === key).map((c) => [c.status, c.replayed]);
const intentsOf = (paymentId: string) => [...fake.intents.values()].filter((i) => i.metadata.paymentId === paymentId);
const ref = (c: { orderId: string; paymentId: string }) => ({ orderId: c.orderId, paymentId: c.paymentId });
const post = (e: { body: string; headers: Record<string, string> }) =>
  t.call('POST', '/webhooks/stripe', { body: e.body, headers: e.headers });

async function authorized(pm = 'pm_card_visa') {
  const cmd = authorizeCommand(pm);
  await t.run('payment.authorize-requested.v1', cmd);
  return cmd;
}

describe('stripe provider through stripe-node and the fake API', () => {
  it('authorizes with manual capture under pi:{paymentId}, then captures under capture:{paymentId}', async () => {
    const cmd = await authorized();
    expect(await payment(cmd.paymentId)).toMatchObject({
      state: 'authorized',
      provider: 'stripe',
      card: { last4: '4242' },
    });
    const [intent] = intentsOf(cmd.paymentId);
    expect(intent).toMatchObject({
      capture_method: 'manual',
      status: 'requires_capture',
      amount: 5_000,
      currency: 'usd',
    });
    await t.run('payment.capture-requested.v1', { ...ref(cmd), amount: cmd.amount });
    expect(intent?.status).toBe('succeeded');
    expect(keyed(`pi:${cmd.paymentId}`)).toEqual([[200, false]]);
    expect(keyed(`capture:${cmd.paymentId}`)).toEqual([[200, false]]);
    expect(await subjects(cmd.paymentId)).toEqual(['payment.authorized.v1', 'payment.captured.v1']);
  });

  it.each([
    ['pm_card_chargeDeclined', 'card_declined'],
    ['pm_card_chargeDeclinedInsufficientFunds', 'insufficient_funds'],
    ['pm_card_chargeDeclinedExpiredCard', 'expired_card'],
    ['pm_does_not_exist', 'payment_method_invalid'],
  ])('%s is declined as %s', async (pm, code) => {
    const cmd = await authorized(pm);
    expect(await payment(cmd.paymentId)).toMatchObject({ state: 'declined', decline: { code } });
    expect((await t.outcomes(cmd.paymentId)).map((e) => [e.subject, e.payload.code])).toEqual([
      ['payment.declined.v1', code],
    ]);
  });

  it.each([
    [true, 'authorized', 'payment_intent.amount_capturable_updated'],
    [false, 'declined', 'payment_intent.payment_failed'],
  ])('requires_action: Stripe redirect as the action URL; the webhook settles it (ok=%s)', async (ok, state, type) => {
    const cmd = await authorized('pm_card_threeDSecure2Required');
    const [intent] = intentsOf(cmd.paymentId);
    expect(intent?.next_action?.redirect_to_url.return_url).toBe(RETURN_URL);
    const actionUrl = `http://127.0.0.1:${fake.port}/3ds/${intent?.id}`;
    expect(await t.outcomes(cmd.paymentId)).toMatchObject([
      { subject: 'payment.action-required.v1', payload: { actionUrl } },
    ]);
    const res = await post(fake.webhook(type, fake.completeAction(intent?.id ?? '', ok)));
    expect(await jsonOf(res)).toMatchObject({ outcome: 'applied' });
    expect(await payment(cmd.paymentId)).toMatchObject({ state });
    if (!ok) expect((await t.outcomes(cmd.paymentId)).at(-1)?.payload.code).toBe('authentication_failed');
  });

  it('a 500, then success: the SDK retried with the same key and one intent exists', async () => {
    fake.failNext(1, 500);
    const cmd = await authorized();
    expect(keyed(`pi:${cmd.paymentId}`)).toEqual([
      [500, false],
      [200, false],
    ]);
    expect(intentsOf(cmd.paymentId)).toHaveLength(1);
  });

  it('a 409 lock conflict is retried by the SDK as well', async () => {
    fake.failNext(1, 409);
    const cmd = await authorized();
    expect(keyed(`pi:${cmd.paymentId}`)).toEqual([
      [409, false],
      [200, false],
    ]);
  });

  it('a 429: the SDK gives up, the outcome is unknown (thrown), the retry with the same key authorizes once', async () => {
    fake.failNext(1, 429);
    const cmd = authorizeCommand('pm_card_visa');
    const eventId = newId();
    await expect(t.run('payment.authorize-requested.v1', cmd, eventId)).rejects.toBeInstanceOf(ProviderUnavailable);
    expect((await t.call('GET', `/payments/${cmd.paymentId}`, { as: admin })).status).toBe(404);
    await t.run('payment.authorize-requested.v1', cmd, eventId);
    expect(keyed(`pi:${cmd.paymentId}`)).toEqual([
      [429, false],
      [200, false],
    ]);
    expect(intentsOf(cmd.paymentId)).toHaveLength(1);
  });

  it('a hang hits our timeout; the SDK retries with the same key and gets the first answer replayed', async () => {
    fake.failNext(1, 'hang');
    const cmd = await authorized();
    expect(keyed(`pi:${cmd.paymentId}`)).toEqual([
      ['hung', false],
      [200, true],
    ]);
    expect(intentsOf(cmd.paymentId)).toHaveLength(1);
    expect(await payment(cmd.paymentId)).toMatchObject({ state: 'authorized' });
  });

  it('refunds: part, then the rest, each under refund:{refundId}; a repeat refunds nothing more', async () => {
    const cmd = await authorized();
    await t.run('payment.capture-requested.v1', { ...ref(cmd), amount: cmd.amount });
    const first = { ...ref(cmd), refundId: newId(), amount: { amount: 1_500, currency: 'USD' }, reason: 'late' };
    await t.run('payment.refund-requested.v1', first);
    await t.run('payment.refund-requested.v1', first);
    expect(await payment(cmd.paymentId)).toMatchObject({ state: 'partially_refunded', refunded: { amount: 1_500 } });
    await t.run('payment.refund-requested.v1', {
      ...first,
      refundId: newId(),
      amount: { amount: 3_500, currency: 'USD' },
    });
    expect(await payment(cmd.paymentId)).toMatchObject({ state: 'refunded', refunded: { amount: 5_000 } });
    expect(keyed(`refund:${first.refundId}`)).toEqual([[200, false]]);
    expect([...fake.refunds.values()].filter((r) => r.payment_intent === intentsOf(cmd.paymentId)[0]?.id)).toHaveLength(
      2,
    );
  });

  it('a refund Stripe leaves pending fails later, by webhook, and the saga hears refund-failed', async () => {
    const cmd = await authorized('pm_card_refundFail');
    await t.run('payment.capture-requested.v1', { ...ref(cmd), amount: cmd.amount });
    const refundId = newId();
    await t.run('payment.refund-requested.v1', { ...ref(cmd), refundId, amount: cmd.amount, reason: 'returned' });
    const refund = [...fake.refunds.values()].find((r) => r.metadata.refundId === refundId);
    expect(refund?.status).toBe('pending');
    const failed = { ...refund, status: 'failed', failure_reason: 'expired_or_canceled_card' };
    await post(fake.webhook('refund.failed', failed));
    expect(await payment(cmd.paymentId)).toMatchObject({ state: 'captured', refunds: [{ state: 'failed' }] });
    expect((await t.outcomes(cmd.paymentId)).at(-1)).toMatchObject({
      subject: 'payment.refund-failed.v1',
      payload: { refundId, reason: 'expired_or_canceled_card' },
    });
  });

  it('void cancels the intent; a repeated void answers voided again without calling twice', async () => {
    const cmd = await authorized();
    await t.run('payment.void-requested.v1', { ...ref(cmd), reason: 'timeout' });
    await t.run('payment.void-requested.v1', { ...ref(cmd), reason: 'timeout' });
    expect(intentsOf(cmd.paymentId)[0]?.status).toBe('canceled');
    expect(keyed(`void:${cmd.paymentId}`)).toEqual([[200, false]]);
    expect(await subjects(cmd.paymentId)).toEqual(['payment.authorized.v1', 'payment.voided.v1', 'payment.voided.v1']);
  });

  it('webhooks: a redelivered event is applied once; forged, stale, unsigned or altered ones are 400 problems', async () => {
    const cmd = await authorized();
    const intent = intentsOf(cmd.paymentId)[0];
    if (!intent) throw new Error('no intent');
    // Captured from Stripe's dashboard: only the webhook tells us.
    Object.assign(intent, { status: 'succeeded', amount_received: 5_000 });
    const event = fake.webhook('payment_intent.succeeded', intent);
    const refused = [
      fake.webhook('payment_intent.succeeded', intent, { secret: 'whsec_someone_else_0000' }),
      fake.webhook('payment_intent.succeeded', intent, { timestamp: Math.floor(Date.now() / 1000) - 301 }),
      { body: event.body, headers: { 'content-type': 'application/json' } },
      { body: event.body.replace('"amount":5000', '"amount":1'), headers: event.headers },
    ];
    for (const e of refused) {
      const res = await post(e);
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
    }
    expect((await jsonOf(await post(event))).outcome).toBe('applied');
    expect((await jsonOf(await post(event))).outcome).toBe('duplicate');
    expect(await payment(cmd.paymentId)).toMatchObject({ state: 'captured', captured: { amount: 5_000 } });
    expect(await subjects(cmd.paymentId)).toEqual(['payment.authorized.v1', 'payment.captured.v1']);
  });

  it('the ledger verifies after all of that', async () => {
    const res = await jsonOf(await t.call('GET', '/ledger/verify', { as: admin }));
    expect(res).toMatchObject({ ok: true });
    expect(res.entries).toBeGreaterThan(15);
  });
});
