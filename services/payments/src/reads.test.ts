import { jsonOf } from '@storefront/kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authorizeCommand, type TestPayments, testPayments, type Who } from './test-harness.ts';

let t: TestPayments;
let mine: ReturnType<typeof authorizeCommand>;
let guest: ReturnType<typeof authorizeCommand>;
beforeAll(async () => {
  t = await testPayments({ sandbox: true });
  mine = authorizeCommand(await t.card('4242424242424242'), { customerId: 'cust-a' });
  guest = authorizeCommand(await t.card('4242424242424242'), { customerId: null });
  await t.run('payment.authorize-requested.v1', mine);
  await t.run('payment.authorize-requested.v1', guest);
});
afterAll(() => t.close());

const a = { sub: 'cust-a' };
const b = { sub: 'cust-b' };
const status = async (path: string, as: Who) => (await t.call('GET', path, { as })).status;

describe('who reads which payment', () => {
  it('a customer reads their own payment and their order’s payments', async () => {
    const p = await jsonOf(await t.call('GET', `/payments/${mine.paymentId}`, { as: a }));
    expect(p).toMatchObject({ id: mine.paymentId, state: 'authorized', amount: { amount: 5_000, currency: 'USD' } });
    expect(JSON.stringify(p)).not.toContain('pm_sandbox_');
    const list = await jsonOf(await t.call('GET', `/orders/${mine.orderId}/payments`, { as: a }));
    expect(list.items.map((x: { id: string }) => x.id)).toEqual([mine.paymentId]);
  });

  it('another customer gets 404 for both, as for a payment that does not exist; a guest payment is staff-only', async () => {
    expect(await status(`/payments/${mine.paymentId}`, b)).toBe(404);
    expect(await status(`/orders/${mine.orderId}/payments`, b)).toBe(404);
    expect(await status(`/payments/${guest.paymentId}`, a)).toBe(404);
    expect(await status('/payments/0199a83f-8840-7236-b5b8-ba24de364311', b)).toBe(404);
  });

  it('support and admin staff with MFA read any; without MFA 403; anonymous 401', async () => {
    for (const role of ['support', 'admin'] as const) {
      expect(await status(`/payments/${mine.paymentId}`, { sub: 's', roles: [role] })).toBe(200);
      expect(await status(`/orders/${guest.orderId}/payments`, { sub: 's', roles: [role] })).toBe(200);
    }
    expect(await status(`/payments/${mine.paymentId}`, { sub: 's', roles: ['support'], mfa: false })).toBe(403);
    expect(await status(`/payments/${mine.paymentId}`, { sub: 's', roles: ['fulfillment'] })).toBe(404);
    expect(await status(`/payments/${mine.paymentId}`, 'anonymous')).toBe(401);
  });

  it('the ledger check is for support and admin staff with MFA only', async () => {
    expect(await status('/ledger/verify', 'anonymous')).toBe(401);
    expect(await status('/ledger/verify', a)).toBe(403);
    expect(await status('/ledger/verify', { sub: 's', roles: ['admin'], mfa: false })).toBe(403);
    expect(await status('/ledger/verify', { sub: 's', roles: ['support'] })).toBe(200);
  });

  it('documents every route in /openapi.json; a provider that is not enabled has no webhook route', async () => {
    const doc = await jsonOf(await t.call('GET', '/openapi.json'));
    expect(Object.keys(doc.paths).sort()).toEqual([
      '/ledger/verify',
      '/orders/{orderId}/payments',
      '/payments/{id}',
      '/sandbox/3ds/{paymentId}',
      '/sandbox/payment-methods',
      '/webhooks/sandbox',
    ]);
    expect((await t.call('POST', '/webhooks/stripe', { body: '{}' })).status).toBe(404);
  });
});
