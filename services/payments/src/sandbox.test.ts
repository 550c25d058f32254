import { newId } from '@storefront/contracts';
import { EventRejected } from '@storefront/kit';
import { jsonOf } from '@storefront/kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProviderUnavailable } from './provider.ts';
import { signPayload } from './sandbox/webhook-signature.ts';
import { authorizeCommand, RETURN_URL, type TestPayments, testPayments } from './test-harness.ts';

let t: TestPayments;
beforeAll(async () => {
  t = await testPayments({ sandbox: true });
});
afterAll(() => t.close());

const admin = { sub: 'staff-1', roles: ['admin' as const] };
const subjects = async (paymentId: string) => (await t.outcomes(paymentId)).map((e) => e.subject);
const payment = async (id: string) => jsonOf(await t.call('GET', `/payments/${id}`, { as: admin }));
const ledgerKinds = async (paymentId: string) =>
  (
    await t.db.query<{ kind: string }>('SELECT kind FROM ledger WHERE payment_id = $1 ORDER BY seq', [paymentId])
  ).rows.map((r) => r.kind);

async function authorized(number = '4242424242424242', amount = 5_000) {
  const cmd = authorizeCommand(await t.card(number), { amount });
  await t.run('payment.authorize-requested.v1', cmd);
  return cmd;
}
const ref = (c: { orderId: string; paymentId: string }) => ({ orderId: c.orderId, paymentId: c.paymentId });

describe('sandbox payments', () => {
  it('4242: authorize, capture, partial then full refund; the confirming webhooks change nothing', async () => {
    const cmd = await authorized('4242 4242 4242 4242');
    expect(await payment(cmd.paymentId)).toMatchObject({ state: 'authorized', card: { brand: 'visa', last4: '4242' } });
    await t.run('payment.capture-requested.v1', { ...ref(cmd), amount: cmd.amount });
    await t.run('payment.refund-requested.v1', {
      ...ref(cmd),
      refundId: newId(),
      amount: { amount: 2_000, currency: 'USD' },
      reason: 'one item damaged',
    });
    expect(await payment(cmd.paymentId)).toMatchObject({ state: 'partially_refunded', refunded: { amount: 2_000 } });
    await t.run('payment.refund-requested.v1', {
      ...ref(cmd),
      refundId: newId(),
      amount: { amount: 3_000, currency: 'USD' },
      reason: 'returned',
    });
    expect(await t.deliverer.deliverNow()).toBeGreaterThanOrEqual(4);
    const p = await payment(cmd.paymentId);
    expect(p).toMatchObject({ state: 'refunded', captured: { amount: 5_000 }, refunded: { amount: 5_000 } });
    expect(p.refunds.map((r: { state: string }) => r.state)).toEqual(['succeeded', 'succeeded']);
    expect(await subjects(cmd.paymentId)).toEqual([
      'payment.authorized.v1',
      'payment.captured.v1',
      'payment.refunded.v1',
      'payment.refunded.v1',
    ]);
    expect(await ledgerKinds(cmd.paymentId)).toEqual(['authorization', 'capture', 'refund', 'refund']);
  });

  it.each([
    ['4000000000000002', 'card_declined'],
    ['4000000000009995', 'insufficient_funds'],
    ['4000000000000069', 'expired_card'],
  ])('%s is declined (%s): a final outcome, not an error', async (number, code) => {
    const cmd = await authorized(number);
    const [declined] = await t.outcomes(cmd.paymentId);
    expect(declined?.subject).toBe('payment.declined.v1');
    expect(declined?.payload).toMatchObject({ code, message: expect.any(String) });
    expect(await payment(cmd.paymentId)).toMatchObject({ state: 'declined', decline: { code } });
    expect(await ledgerKinds(cmd.paymentId)).toEqual([]);
  });

  it.each([
    ['approve', 'authorized', 'succeeded'],
    ['fail', 'declined', 'failed'],
  ])('3-D Secure: %s on the challenge page, then the webhook settles it', async (outcome, state, redirect) => {
    const cmd = await authorized('4000002500003155');
    const [required] = await t.outcomes(cmd.paymentId);
    const actionUrl = `http://payments.test/sandbox/3ds/${cmd.paymentId}`;
    expect(required).toMatchObject({ subject: 'payment.action-required.v1', payload: { actionUrl } });
    expect(await payment(cmd.paymentId)).toMatchObject({ state: 'requires_action', actionUrl });

    const page = await t.call('GET', `/sandbox/3ds/${cmd.paymentId}`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    const token = /name="token" value="([^"]+)"/.exec(await page.text())?.[1] ?? '';
    const form = (tok: string) =>
      t.call('POST', `/sandbox/3ds/${cmd.paymentId}`, {
        body: new URLSearchParams({ token: tok, outcome }).toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
    expect((await form('forged-token')).status).toBe(403);
    const answered = await form(token);
    expect(answered.status).toBe(303);
    const back = new URL(answered.headers.get('location') ?? '');
    expect(`${back.origin}${back.pathname}`).toBe(RETURN_URL);
    expect(back.searchParams.get('redirect_status')).toBe(redirect);
    // Single use: the same form cannot be replayed.
    expect((await form(token)).status).toBe(403);

    await t.deliverer.deliverNow();
    expect(await payment(cmd.paymentId)).toMatchObject({ state, actionUrl: null, card: { last4: '3155' } });
    const last = (await t.outcomes(cmd.paymentId)).at(-1);
    if (state === 'authorized') expect(last?.subject).toBe('payment.authorized.v1');
    else expect(last).toMatchObject({ subject: 'payment.declined.v1', payload: { code: 'authentication_failed' } });
  });

  it('processing error: the unknown outcome is retried with the same key and authorizes once', async () => {
    const cmd = authorizeCommand(await t.card('4000000000000119'));
    const eventId = newId();
    await expect(t.run('payment.authorize-requested.v1', cmd, eventId)).rejects.toBeInstanceOf(ProviderUnavailable);
    expect((await t.call('GET', `/payments/${cmd.paymentId}`, { as: admin })).status).toBe(404);
    await t.run('payment.authorize-requested.v1', cmd, eventId);
    expect(await payment(cmd.paymentId)).toMatchObject({ state: 'authorized' });
    const intents = await t.db.query('SELECT 1 FROM sandbox_intents WHERE payment_id = $1', [cmd.paymentId]);
    expect(intents.rowCount).toBe(1);
  });

  it('void releases the authorization; a later capture is refused and announces nothing', async () => {
    const cmd = await authorized();
    await t.run('payment.void-requested.v1', { ...ref(cmd), reason: 'order cancelled' });
    expect(await payment(cmd.paymentId)).toMatchObject({ state: 'voided' });
    await expect(t.run('payment.capture-requested.v1', { ...ref(cmd), amount: cmd.amount })).rejects.toBeInstanceOf(
      EventRejected,
    );
    expect(await subjects(cmd.paymentId)).toEqual(['payment.authorized.v1', 'payment.voided.v1']);
    expect(await ledgerKinds(cmd.paymentId)).toEqual(['authorization', 'void']);
  });

  it('repeated commands (new event ids) move money once: one authorization, capture and refund', async () => {
    const cmd = await authorized();
    await t.run('payment.authorize-requested.v1', cmd);
    const capture = { ...ref(cmd), amount: cmd.amount };
    await Promise.all([t.run('payment.capture-requested.v1', capture), t.run('payment.capture-requested.v1', capture)]);
    const refund = { ...ref(cmd), refundId: newId(), amount: { amount: 1_000, currency: 'USD' }, reason: 'goodwill' };
    await Promise.all([t.run('payment.refund-requested.v1', refund), t.run('payment.refund-requested.v1', refund)]);
    expect(await payment(cmd.paymentId)).toMatchObject({ captured: { amount: 5_000 }, refunded: { amount: 1_000 } });
    expect(await ledgerKinds(cmd.paymentId)).toEqual(['authorization', 'capture', 'refund']);
    const intents = await t.db.query('SELECT amount_refunded FROM sandbox_intents WHERE payment_id = $1', [
      cmd.paymentId,
    ]);
    expect(intents.rows).toEqual([{ amount_refunded: 1_000 }]);
    // The repeats re-announce the outcome reached, for a saga that asked again.
    expect(await subjects(cmd.paymentId)).toEqual([
      'payment.authorized.v1',
      'payment.authorized.v1',
      'payment.captured.v1',
      'payment.captured.v1',
      'payment.refunded.v1',
      'payment.refunded.v1',
    ]);
  });

  it('refusals the saga must hear: refund of an uncaptured payment, and beyond what was captured', async () => {
    const cmd = await authorized();
    const refund = (amount: number) => ({
      ...ref(cmd),
      refundId: newId(),
      amount: { amount, currency: 'USD' },
      reason: 'test',
    });
    await t.run('payment.refund-requested.v1', refund(100));
    await t.run('payment.capture-requested.v1', { ...ref(cmd), amount: { amount: 4_000, currency: 'USD' } });
    await t.run('payment.refund-requested.v1', refund(4_001));
    const failed = (await t.outcomes(cmd.paymentId)).filter((e) => e.subject === 'payment.refund-failed.v1');
    expect(failed.map((e) => e.payload.reason)).toEqual([
      'cannot refund a payment that is authorized',
      'refund exceeds the refundable amount (4000)',
    ]);
    expect(await payment(cmd.paymentId)).toMatchObject({ state: 'captured', refunded: { amount: 0 } });
  });

  it('a refund the issuer refuses (5126) stays pending, then fails by webhook', async () => {
    const cmd = await authorized('4000000000005126');
    await t.run('payment.capture-requested.v1', { ...ref(cmd), amount: cmd.amount });
    const refundId = newId();
    await t.run('payment.refund-requested.v1', { ...ref(cmd), refundId, amount: cmd.amount, reason: 'returned' });
    expect((await payment(cmd.paymentId)).refunds).toMatchObject([{ id: refundId, state: 'pending' }]);
    await t.deliverer.deliverNow();
    const p = await payment(cmd.paymentId);
    expect(p).toMatchObject({ state: 'captured', refunded: { amount: 0 }, refunds: [{ state: 'failed' }] });
    expect((await t.outcomes(cmd.paymentId)).at(-1)).toMatchObject({
      subject: 'payment.refund-failed.v1',
      payload: { refundId, reason: 'the card issuer refused the refund' },
    });
  });

  it('webhooks: a forged signature and a stale timestamp are 400 problems; a redelivery is applied once', async () => {
    const cmd = await authorized('4000000000003220');
    const page = await (await t.call('GET', `/sandbox/3ds/${cmd.paymentId}`)).text();
    const token = /name="token" value="([^"]+)"/.exec(page)?.[1] ?? '';
    await t.sandbox?.completeChallenge(cmd.paymentId, token, true);
    const { rows } = await t.db.query<{ body: unknown }>(
      `SELECT body FROM sandbox_webhooks WHERE delivered_at IS NULL AND type = 'intent.amount_capturable_updated'`,
    );
    const body = JSON.stringify(rows[0]?.body);
    const post = (signature: string) =>
      t.call('POST', '/webhooks/sandbox', { body, headers: { 'sandbox-signature': signature } });
    const now = Math.floor(Date.now() / 1000);
    for (const bad of [
      signPayload(body, 'not-the-secret-0123456789', now),
      signPayload(body, 'sandbox-test-secret-0123456789', now - 301),
      'garbage',
      '',
    ]) {
      const res = await post(bad);
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
    }
    const first = await jsonOf(await post(signPayload(body, 'sandbox-test-secret-0123456789', now)));
    const again = await jsonOf(await post(signPayload(body, 'sandbox-test-secret-0123456789', now)));
    expect([first.outcome, again.outcome]).toEqual(['applied', 'duplicate']);
    expect(await subjects(cmd.paymentId)).toEqual(['payment.action-required.v1', 'payment.authorized.v1']);
  });

  it('the ledger verifies after all of that', async () => {
    await t.deliverer.deliverNow();
    const res = await t.call('GET', '/ledger/verify', { as: admin });
    const { rows } = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM ledger');
    expect(await jsonOf(res)).toMatchObject({ ok: true, entries: rows[0]?.n });
    expect(rows[0]?.n).toBeGreaterThan(10);
  });
});
