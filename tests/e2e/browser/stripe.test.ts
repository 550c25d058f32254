import type { Page, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeStripe, startFakeStripe } from '../../../services/payments/src/testing/fake-stripe.ts';
import { routeStripe } from './fake-stripe-js.ts';
import { expectNoSeriousViolations, pageErrors, type Shop, shot, startShop } from './harness.ts';
import { addToCart, fillAddress, type StockedItem, stockedItems } from './steps.ts';
import { type HooksProxy, startHooksProxy } from './stripe-hooks-proxy.ts';

/**
 * Checkout with the stripe provider, in real Chromium through the gateway (CSP on): the platform
 * started as `npm start` does, payments talking stripe-node to the local fake of Stripe's API and
 * web mounting Stripe's Payment Element. The browser gets a fake Stripe.js (fake-stripe-js.ts)
 * whose frame creates the PaymentMethod at the fake API, as Stripe.js does at api.stripe.com; the
 * fake's hosted 3-D Secure page and signed webhooks close the loop. One platform for the file.
 */
describe('checkout with Stripe’s Payment Element', () => {
  let fake: FakeStripe;
  let shop: Shop;
  let hooks: HooksProxy;
  const stocked: StockedItem[] = [];
  /** Every request the browser sent to our own origin, with its body (the card must be in none). */
  const ours: { url: string; body: string }[] = [];
  /** Requests to Stripe's API (the card belongs in these). */
  const toStripe: { url: string; body: string }[] = [];

  beforeAll(async () => {
    fake = await startFakeStripe({ hooksUrl: 'https://hooks.stripe.com' });
    hooks = await startHooksProxy(fake.url);
    shop = await startShop({
      seedProducts: 40,
      env: {
        PAYMENTS_PROVIDER: 'stripe',
        STRIPE_SECRET_KEY: fake.secretKey,
        STRIPE_WEBHOOK_SECRET: fake.webhookSecret,
        STRIPE_API_HOST: fake.host,
        STRIPE_API_PORT: String(fake.port),
        STRIPE_API_PROTOCOL: 'http',
        STRIPE_PUBLISHABLE_KEY: fake.publishableKey,
      },
    });
    // Stripe's dashboard step: send PaymentIntent events to payments' webhook, through the gateway.
    const events = [
      'payment_intent.amount_capturable_updated',
      'payment_intent.payment_failed',
      'payment_intent.succeeded',
      'payment_intent.canceled',
    ];
    const endpoint = await fetch(`${fake.url}/v1/webhook_endpoints`, {
      method: 'POST',
      headers: { authorization: `Bearer ${fake.secretKey}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams([
        ['url', `${shop.platform.gatewayUrl}/api/payments/webhooks/stripe`],
        ...events.map((e): [string, string] => ['enabled_events[]', e]),
      ]).toString(),
    });
    expect(endpoint.status).toBe(200);

    stocked.push(...(await stockedItems(shop, { limit: 40, want: 3, minAvailable: 10 })));
    expect(stocked.length).toBeGreaterThanOrEqual(3);
  }, 240_000);
  afterAll(async () => {
    await shop?.stop();
    await hooks?.close();
    await fake?.close();
  }, 60_000);

  const clean = (page: Page) => expect(pageErrors(page).filter((e) => !/status of 4\d\d/.test(e))).toEqual([]);

  async function newPage(): Promise<Page> {
    // hooks.stripe.com through the proxy (the redirect's hop), js. and api.stripe.com by routes.
    const page = await shop.newPage({ proxy: hooks.proxy, ignoreHTTPSErrors: true });
    await routeStripe(page, fake.url);
    page.on('request', (r: Request) => {
      const entry = { url: r.url(), body: r.postData() ?? '' };
      if (r.url().startsWith(shop.baseUrl)) ours.push(entry);
      else if (r.url().startsWith('https://api.stripe.com/')) toStripe.push(entry);
    });
    return page;
  }

  /** The address on our form, the card in Stripe's frame. */
  async function fillCheckout(page: Page, card: string) {
    await page.goto('/checkout');
    await page.getByLabel('Email').fill('ada.guest@example.com');
    await fillAddress(page, 'Ada Guest');
    const frame = page.frameLocator('iframe[title="Secure payment input frame"]');
    await frame.getByLabel('Card number').fill(card);
    await frame.getByLabel('Expiration date').fill(`12 / ${String((new Date().getUTCFullYear() + 3) % 100)}`);
    await frame.getByLabel('Security code').fill('123');
    await frame.getByLabel('ZIP').fill('94105');
  }

  async function awaitHeading(page: Page, pattern: RegExp) {
    await page.getByRole('heading', { level: 1, name: pattern }).waitFor({ timeout: 45_000 });
  }

  const orderIdOf = (page: Page) => /\/orders\/([0-9a-f-]{36})/.exec(page.url())?.[1] ?? '';
  const intentOf = (orderId: string) => [...fake.intents.values()].filter((i) => i.metadata.orderId === orderId);
  const digitsOnly = (s: string) => s.replace(/%20|\+|\s/g, '');

  it('a guest pays through the Payment Element; Stripe captures when the order is confirmed', async () => {
    const page = await newPage();
    await addToCart(page, stocked[0] as (typeof stocked)[number]);
    await fillCheckout(page, '4242 4242 4242 4242');
    await shot(page, 'stripe-checkout', 'filled');
    await expectNoSeriousViolations(page, 'stripe-checkout');
    clean(page);
    // Stripe's own check first: an incomplete security code is said on our page, nothing is sent.
    const frame = page.frameLocator('iframe[title="Secure payment input frame"]');
    await frame.getByLabel('Security code').fill('1');
    const posts = ours.length;
    await page.getByRole('button', { name: 'Place order' }).click();
    const incomplete = page.getByRole('alert').filter({ hasText: "Your card's security code is incomplete." });
    await incomplete.first().waitFor();
    await shot(page, 'stripe-checkout', 'incomplete-cvc');
    expect(ours.slice(posts).filter((r) => r.url.endsWith('/checkout'))).toEqual([]);
    await frame.getByLabel('Security code').fill('123');
    // A double click places one order with one PaymentMethod.
    const methodsBefore = fake.paymentMethods.size;
    await page.getByRole('button', { name: 'Place order' }).dblclick();
    await page.waitForURL(/\/orders\/[0-9a-f-]{36}/, { timeout: 30_000 });
    await awaitHeading(page, /confirmed|on its way|delivered/i);
    await shot(page, 'stripe-checkout', 'confirmed');
    await expectNoSeriousViolations(page, 'stripe-order-confirmed');
    clean(page);

    // At Stripe: the browser's PaymentMethod, authorized with manual capture, then captured.
    const [intent, ...more] = intentOf(orderIdOf(page));
    expect(more).toEqual([]);
    expect(intent).toMatchObject({ capture_method: 'manual', status: 'succeeded', currency: 'usd' });
    expect(intent?.amount_received).toBe(intent?.amount);
    expect(fake.paymentMethods.size - methodsBefore).toBe(1);
    const pm = fake.paymentMethods.get(intent?.payment_method ?? '');
    expect(pm).toMatchObject({
      card: { brand: 'visa', last4: '4242' },
      billing_details: { name: 'Ada Guest', email: 'ada.guest@example.com', address: { postal_code: '94105' } },
    });
    // The card went from Stripe's frame to Stripe's API with the publishable key, and never to us.
    expect(toStripe.some((r) => r.body.includes('card%5Bnumber%5D=4242424242424242'))).toBe(true);
    expect(toStripe.every((r) => new URLSearchParams(r.body).get('key') === fake.publishableKey)).toBe(true);
    const leaks = ours.filter((r) => digitsOnly(`${r.url} ${r.body}`).includes('4242424242424242'));
    expect(leaks).toEqual([]);
    expect(ours.some((r) => r.body.includes(`paymentMethod=${pm?.id}`))).toBe(true);
  }, 120_000);

  it('a declined card shows a clear message and the cart stays as it was', async () => {
    const page = await newPage();
    const item = stocked[1] as (typeof stocked)[number];
    await addToCart(page, item, 2);
    await fillCheckout(page, '4000 0000 0000 0002');
    await page.getByRole('button', { name: 'Place order' }).click();
    const alert = page.getByRole('alert').filter({ hasText: /declined/i });
    await alert.waitFor({ timeout: 30_000 });
    await expect(alert.textContent()).resolves.toMatch(/declined.*cart is saved/is);
    // The address is kept; Stripe's frame is mounted again, empty, for another card.
    await expect(page.getByLabel('Full name').inputValue()).resolves.toBe('Ada Guest');
    const frame = page.frameLocator('iframe[title="Secure payment input frame"]');
    await expect(frame.getByLabel('Card number').inputValue()).resolves.toBe('');
    // Where the shopper goes next (and the frame has painted by then, for the screenshot).
    await frame.getByLabel('Card number').focus();
    await shot(page, 'stripe-declined', 'declined');
    await expectNoSeriousViolations(page, 'stripe-declined');
    clean(page);
    const declined = [...fake.intents.values()].filter(
      (i) => fake.paymentMethods.get(i.payment_method)?.card.last4 === '0002',
    );
    expect(declined.map((i) => [i.status, i.last_payment_error?.code])).toEqual([
      ['requires_payment_method', 'card_declined'],
    ]);
    await page.goto('/cart');
    await expect(page.getByRole('link', { name: item.name }).count()).resolves.toBe(1);
    await expect(page.getByLabel(`Quantity of ${item.name}`).inputValue()).resolves.toBe('2');
    await shot(page, 'stripe-declined', 'cart-intact');
    expect(ours.filter((r) => digitsOnly(`${r.url} ${r.body}`).includes('4000000000000002'))).toEqual([]);
    // Another card works with the same cart.
    await fillCheckout(page, '5555 5555 5555 4444');
    await page.getByRole('button', { name: 'Place order' }).click();
    await page.waitForURL(/\/orders\/[0-9a-f-]{36}/, { timeout: 30_000 });
    await awaitHeading(page, /confirmed|on its way|delivered/i);
    await shot(page, 'stripe-declined', 'second-card-confirmed');
    expect(intentOf(orderIdOf(page)).map((i) => i.status)).toEqual(['succeeded']);
  }, 120_000);

  it('3-D Secure: Stripe’s redirect, the shopper completes it, back to a confirmed order', async () => {
    const page = await newPage();
    await addToCart(page, stocked[2] as (typeof stocked)[number]);
    await fillCheckout(page, '4000 0027 6000 3184');
    await page.getByRole('button', { name: 'Place order' }).click();
    await page.waitForURL(/^https:\/\/hooks\.stripe\.com\/3ds\/pi_/, { timeout: 30_000 });
    await shot(page, 'stripe-3ds', 'challenge');
    clean(page);
    await page.getByRole('button', { name: 'Complete' }).click();
    await page.waitForURL(/\/orders\/[0-9a-f-]{36}/);
    await awaitHeading(page, /confirmed|on its way|delivered/i);
    await shot(page, 'stripe-3ds', 'confirmed');
    clean(page);
    const [intent] = intentOf(orderIdOf(page));
    expect(intent).toMatchObject({ status: 'succeeded', next_action: null });
    // payments heard of the authentication by Stripe's signed webhook, through the gateway.
    expect(
      fake.deliveries.some(
        (d) => d.type === 'payment_intent.amount_capturable_updated' && d.objectId === intent?.id && d.status === 200,
      ),
    ).toBe(true);
    // Every event Stripe sent in this file was accepted in the end (a 503 while payments had not
    // committed the payment yet is retried, as Stripe does); none was refused as forged.
    await fake.webhooksSettled();
    const last = new Map(fake.deliveries.map((d) => [d.eventId, d]));
    expect([...last.values()].filter((d) => d.status !== 200)).toEqual([]);
    expect(fake.deliveries.filter((d) => d.status === 400)).toEqual([]);
  }, 120_000);
});
