import { newId } from '@storefront/contracts';
import fc from 'fast-check';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signPayload } from './sandbox/webhook-signature.ts';
import { authorizeCommand, type TestPayments, testPayments } from './test-harness.ts';
import { type FakeStripe, startFakeStripe } from './testing/fake-stripe.ts';

/**
 * Nothing a caller sends makes a route answer 500: every route, with random bodies, params,
 * tokens and signatures — including webhooks whose signature is valid over a random body, which
 * is what reaches the parsing behind the signature check.
 */
let fake: FakeStripe;
let t: TestPayments;
const KNOWN = newId();
beforeAll(async () => {
  fake = await startFakeStripe();
  t = await testPayments({ sandbox: true, stripe: fake });
  const cmd = { ...authorizeCommand(await t.card('4000002500003155')), paymentId: KNOWN };
  await t.run('payment.authorize-requested.v1', cmd);
});
afterAll(async () => {
  await t.close();
  await fake.close();
});

const SANDBOX_SECRET = 'sandbox-test-secret-0123456789';
const runs = { numRuns: 60 };

async function expectHandled(res: Response, allowUnavailable = false) {
  const ok = res.status < 500 || (allowUnavailable && res.status === 503);
  expect(ok, `${res.status} ${await res.clone().text()}`).toBe(true);
  if (res.status >= 400) expect(res.headers.get('content-type')).toContain('application/problem+json');
}

const id = fc.oneof(fc.uuid(), fc.string({ maxLength: 60 }), fc.constant(newId()));
const paymentId = () => fc.oneof(id, fc.constant(KNOWN));
const text = fc.oneof(fc.string({ maxLength: 300 }), fc.json({ maxDepth: 4 }));
const intent = fc.record(
  {
    id: fc.oneof(fc.string({ maxLength: 20 }), fc.constant('si_x')),
    paymentId: paymentId(),
    status: fc.string({ maxLength: 10 }),
    amountCaptured: fc.oneof(fc.integer(), fc.double()),
    code: fc.string({ maxLength: 70 }),
  },
  { requiredKeys: [] },
);
const refund = fc.record({ id: fc.string({ maxLength: 10 }), refundId: id, reason: fc.string() }, { requiredKeys: [] });
const sandboxEvent = fc.record(
  {
    id: fc.string({ maxLength: 120 }),
    type: fc.constantFrom(
      'intent.amount_capturable_updated',
      'intent.payment_failed',
      'intent.succeeded',
      'refund.failed',
      'x',
    ),
    created: fc.integer(),
    data: fc.record({ intent, refund }, { requiredKeys: [] }),
  },
  { requiredKeys: [] },
);
const stripeObject = fc.record(
  {
    id: fc.string({ maxLength: 300 }),
    metadata: fc.oneof(fc.dictionary(fc.string(), fc.string()), fc.record({ paymentId: paymentId(), refundId: id })),
    amount_received: fc.oneof(fc.integer(), fc.string()),
    status: fc.string({ maxLength: 12 }),
    refunds: fc.anything(),
  },
  { requiredKeys: [] },
);
const stripeType = fc.constantFrom(
  'payment_intent.succeeded',
  'payment_intent.payment_failed',
  'payment_intent.canceled',
  'payment_intent.amount_capturable_updated',
  'charge.refunded',
  'refund.updated',
  'customer.created',
);

describe('every route under arbitrary input', () => {
  it('webhooks with random bodies and random signatures are refused as problems', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('sandbox', 'stripe'),
        text,
        fc.option(fc.string({ maxLength: 200 })),
        async (p, body, sig) => {
          const header = p === 'stripe' ? 'stripe-signature' : 'sandbox-signature';
          const res = await t.call('POST', `/webhooks/${p}`, { body, headers: sig === null ? {} : { [header]: sig } });
          await expectHandled(res);
          expect(res.status).toBe(400);
        },
      ),
      runs,
    );
  });

  it('validly signed sandbox events with random contents never 500', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          sandboxEvent.map((e) => JSON.stringify(e)),
          text,
        ),
        async (body) => {
          const sig = signPayload(body, SANDBOX_SECRET, Math.floor(Date.now() / 1000));
          await expectHandled(
            await t.call('POST', '/webhooks/sandbox', { body, headers: { 'sandbox-signature': sig } }),
            true,
          );
        },
      ),
      runs,
    );
  });

  it('validly signed Stripe events with random objects never 500', async () => {
    await fc.assert(
      fc.asyncProperty(stripeType, stripeObject, fc.string({ maxLength: 300 }), async (type, object, eventId) => {
        const e = JSON.parse(fake.webhook(type, object).body);
        const body = JSON.stringify({ ...e, id: eventId || e.id });
        const signature = Stripe.webhooks.generateTestHeaderString({ payload: body, secret: fake.webhookSecret });
        await expectHandled(
          await t.call('POST', '/webhooks/stripe', { body, headers: { 'stripe-signature': signature } }),
          true,
        );
      }),
      runs,
    );
  });

  it('card tokenization with random bodies: 201 or a problem that never echoes the number', async () => {
    const number = fc.oneof(
      fc.string({ maxLength: 40 }),
      fc.stringMatching(/^[0-9 -]{12,25}$/),
      fc.constant('4242424242424242'),
    );
    const card = fc.record(
      {
        number,
        expMonth: fc.oneof(fc.integer(), fc.double()),
        expYear: fc.integer(),
        cvc: fc.string({ maxLength: 6 }),
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(fc.oneof(card, fc.anything()), async (body) => {
        const res = await t.call('POST', '/sandbox/payment-methods', { body: JSON.stringify(body) ?? 'null' });
        await expectHandled(res);
        const n = (body as { number?: unknown } | null)?.number;
        if (res.status !== 201 && typeof n === 'string' && n.replace(/\D/g, '').length >= 12) {
          expect(await res.text()).not.toContain(n);
        }
      }),
      runs,
    );
  });

  it('the 3-D Secure page and form, reads and the ledger with random params, forms and tokens', async () => {
    const form = fc.oneof(
      fc.string({ maxLength: 200 }),
      fc
        .record({ token: fc.string({ maxLength: 250 }), outcome: fc.constantFrom('approve', 'fail', 'maybe') })
        .map((f) => new URLSearchParams(f).toString()),
    );
    const auth = fc.option(fc.oneof(fc.string({ maxLength: 80 }), fc.constant('Bearer a.b.c')));
    await fc.assert(
      fc.asyncProperty(paymentId(), form, auth, async (pid, body, authorization) => {
        const p = encodeURIComponent(pid);
        const headers: Record<string, string> = authorization === null ? {} : { authorization };
        await expectHandled(await t.call('GET', `/sandbox/3ds/${p}`));
        await expectHandled(
          await t.call('POST', `/sandbox/3ds/${p}`, {
            body,
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
          }),
        );
        await expectHandled(await t.call('GET', `/payments/${p}`, { headers }));
        await expectHandled(await t.call('GET', `/orders/${p}/payments`, { as: { sub: 'cust-a' } }));
        await expectHandled(await t.call('GET', '/ledger/verify', { headers }));
      }),
      runs,
    );
  });

  it('signed events that are odd but possible are answered, not crashed on: over-capture, a long decline code', async () => {
    const cmd = authorizeCommand(await t.card('4242424242424242'));
    await t.run('payment.authorize-requested.v1', cmd);
    const { rows } = await t.db.query<{ id: string }>('SELECT id FROM sandbox_intents WHERE payment_id = $1', [
      cmd.paymentId,
    ]);
    const send = (type: string, intent: Record<string, unknown>) => {
      const body = JSON.stringify({
        id: newId(),
        type,
        created: 1,
        data: { intent: { id: rows[0]?.id, paymentId: cmd.paymentId, status: 'x', amountCaptured: 0, ...intent } },
      });
      const sig = signPayload(body, SANDBOX_SECRET, Math.floor(Date.now() / 1000));
      return t.call('POST', '/webhooks/sandbox', { body, headers: { 'sandbox-signature': sig } });
    };
    const over = await send('intent.succeeded', { amountCaptured: 999_999 });
    expect(over.status).toBe(200);
    const threeDs = { ...authorizeCommand('pm_card_threeDSecure2Required') };
    await t.run('payment.authorize-requested.v1', threeDs);
    const intent = [...fake.intents.values()].find((i) => i.metadata.paymentId === threeDs.paymentId);
    const failed = fake.completeAction(intent?.id ?? '', false);
    failed.last_payment_error = { type: 'card_error', code: 'x'.repeat(100), message: 'm' };
    const e = fake.webhook('payment_intent.payment_failed', failed);
    expect((await t.call('POST', '/webhooks/stripe', { body: e.body, headers: e.headers })).status).toBe(200);
    expect((await t.outcomes(threeDs.paymentId)).at(-1)?.payload.code).toBe('x'.repeat(64));
  });
});
