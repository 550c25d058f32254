import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoSeriousViolations, pageErrors, type Shop, shot, startShop } from './harness.ts';
import { signInAdminEnrollingMfa } from './steps.ts';

const T = 'admin-ops';

/** Console errors that are not faults: Chromium reports a document's own 4xx status (a form re-shown with its errors). */
const faults = (page: Page) => pageErrors(page).filter((e) => !/the server responded with a status of 4\d\d/.test(e));

// biome-ignore lint/suspicious/noExplicitAny: journeys probe JSON bodies.
type Reply = { status: number; body: any };

interface Variant {
  readonly sku: string;
}
interface Product {
  readonly slug: string;
  readonly name: string;
  readonly variants: readonly Variant[];
}

/**
 * Staff run operations from the admin console in real Chromium, through the gateway of a platform
 * started as `npm start` does: sign in with MFA (enrolling TOTP), count a product's stock to zero
 * at every location and see "out of stock" on the shop's product page, refund a paid order from
 * its admin page and see the refund settle, and find both actions in the audit log; axe checks on
 * the inventory, orders list and order detail pages.
 */
describe('admin console: operations', () => {
  let shop: Shop;
  let staff: Page;
  let api: (method: string, path: string, body?: unknown, headers?: Record<string, string>) => Promise<Reply>;
  let target: Product;
  let buyable: Product;
  /** The order refunded in one test and returned in another. */
  let paid: { id: string; number: string; token: string; sku: string };

  beforeAll(async () => {
    shop = await startShop({ seedProducts: 20 });
    api = async (method, path, body, headers = {}) => {
      const res = await fetch(`${shop.platform.gatewayUrl}${path}`, {
        method,
        headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : undefined };
    };
  }, 180_000);
  afterAll(async () => {
    await shop?.stop();
  }, 60_000);

  /** Published products with their variants and how many units each has. */
  async function productsInStock(): Promise<{ product: Product; available: number }[]> {
    const list = await api('GET', '/api/catalog/products?limit=20');
    expect(list.status).toBe(200);
    const out: { product: Product; available: number }[] = [];
    for (const item of list.body.items as { slug: string }[]) {
      const p = (await api('GET', `/api/catalog/products/${item.slug}`)).body as Product;
      if (!p.variants?.length) continue;
      const qs = p.variants.map((v) => `sku=${encodeURIComponent(v.sku)}`).join('&');
      const a = await api('GET', `/api/inventory/availability?${qs}`);
      const available = (a.body.items as { available: number }[]).reduce((n, x) => Math.min(n, x.available), 1e9);
      if (available > 0) out.push({ product: p, available });
    }
    return out;
  }

  it('signs the bootstrapped admin in with a password and a freshly enrolled authenticator', async () => {
    expect(shop.platform.failed).toEqual([]);
    staff = await shop.newPage();
    await signInAdminEnrollingMfa(shop, staff, '/admin/inventory');
    await staff.getByRole('heading', { name: 'Inventory', level: 1 }).waitFor();
    expect(new URL(staff.url()).pathname).toBe('/admin/inventory');
    await shot(staff, T, 'inventory');
    await expectNoSeriousViolations(staff, 'admin-inventory');
    expect(faults(staff)).toEqual([]);
  }, 60_000);

  it('counts a product to zero at every location and the shop shows it out of stock', async () => {
    const candidates = await productsInStock();
    // One product to empty (a single variant if there is one), another to buy in the refund test.
    const single = candidates.find((c) => c.product.variants.length === 1) ?? candidates[0];
    expect(single).toBeTruthy();
    target = (single as { product: Product }).product;
    const other = candidates.find((c) => c.product.slug !== target.slug && c.available >= 2);
    expect(other).toBeTruthy();
    buyable = (other as { product: Product }).product;

    const shopper = await shop.newPage();
    await shopper.goto(`/p/${target.slug}`);
    await shopper.getByRole('heading', { name: target.name, level: 1 }).waitFor();
    await expect(shopper.locator('main').textContent()).resolves.not.toMatch(/out of stock/i);
    await shot(shopper, T, 'shop-in-stock');

    for (const { sku } of target.variants) {
      await staff.goto('/admin/inventory');
      await staff.getByLabel('SKU', { exact: true }).fill(sku);
      await staff.getByRole('button', { name: 'Show stock' }).click();
      await staff.getByRole('link', { name: `Adjust, transfer and see the movements of ${sku}` }).click();
      await staff.getByRole('heading', { name: `Stock of ${sku}`, level: 1 }).waitFor();
      await shot(staff, T, `sku-${sku}`);

      const rows = (await api('GET', `/api/inventory/availability?sku=${encodeURIComponent(sku)}`)).body.items[0]
        .locations as { code: string; available: number }[];
      const stocked = rows.filter((r) => r.available > 0);
      expect(stocked.length).toBeGreaterThan(0);

      // A transfer of more than there is says how many there are.
      const from = stocked[0] as { code: string; available: number };
      const locationOptions = await staff
        .locator('#transfer-to option')
        .evaluateAll((os) => os.map((o) => (o as unknown as { value: string }).value));
      const to = locationOptions.find((code) => code !== from.code) as string;
      await staff.locator('#transfer-from').selectOption(from.code);
      await staff.locator('#transfer-to').selectOption(to);
      await staff.getByLabel('Units to move').fill(String(Math.min(from.available + 5, 10_000)));
      await staff.getByRole('button', { name: 'Transfer units' }).click();
      await staff.getByText(`Only ${from.available} available to transfer from`).waitFor();
      await shot(staff, T, 'transfer-refused');

      for (const row of stocked) {
        await staff.locator('#adjust-location').selectOption(row.code);
        await staff.getByLabel('Reason').selectOption('count');
        await staff.getByLabel('Quantity').fill('0');
        await staff.getByLabel('Note (optional)').first().fill('browser test: counted empty');
        await staff.getByRole('button', { name: 'Save adjustment' }).click();
        await staff.getByText('Stock adjusted.').waitFor();
      }
      await staff.getByText('Out of stock everywhere').waitFor();
      await expect(staff.locator('main').textContent()).resolves.toContain('browser test: counted empty');
      await shot(staff, T, `sku-${sku}-zero`);
    }

    await expect
      .poll(
        async () => {
          await shopper.reload();
          return shopper.locator('main').textContent();
        },
        { timeout: 20_000, interval: 500 },
      )
      .toMatch(/out of stock/i);
    await shot(shopper, T, 'shop-out-of-stock');
    expect(faults(staff)).toEqual([]);
    expect(faults(shopper)).toEqual([]);
  }, 90_000);

  it('refunds a paid order from its admin page and shows the refund', async () => {
    // A guest pays with the sandbox card through the API, as tests/e2e/checkout.test.ts does.
    const created = await api('POST', '/api/cart/carts', { currency: 'USD' });
    expect(created.status).toBe(201);
    const cartId: string = created.body.cart.id;
    const cartHeaders = { 'x-cart-token': created.body.token as string };
    const sku = (buyable.variants[0] as Variant).sku;
    const line = await api('POST', `/api/cart/carts/${cartId}/lines`, { sku, quantity: 1 }, cartHeaders);
    expect(line.status, JSON.stringify(line.body)).toBeLessThan(300);
    const shipping = await api(
      'PUT',
      `/api/cart/carts/${cartId}/shipping`,
      { option: 'standard', region: 'US-CA' },
      cartHeaders,
    );
    expect(shipping.status, JSON.stringify(shipping.body)).toBe(200);
    const pm = await api('POST', '/api/payments/sandbox/payment-methods', {
      number: '4242 4242 4242 4242',
      expMonth: 12,
      expYear: new Date().getUTCFullYear() + 3,
      cvc: '123',
    });
    expect(pm.status, JSON.stringify(pm.body)).toBeLessThan(300);
    const email = `refund-${Date.now().toString(36)}@example.com`;
    const placed = await api(
      'POST',
      '/api/orders/checkout',
      {
        cartId,
        email,
        address: {
          name: 'Ada Guest',
          line1: '1 Market St',
          city: 'San Francisco',
          region: 'CA',
          postalCode: '94105',
          country: 'US',
        },
        shippingMethod: 'standard',
        paymentMethod: pm.body.id,
        returnUrl: `${shop.platform.gatewayUrl}/`,
      },
      { ...cartHeaders, 'idempotency-key': randomUUID() },
    );
    expect(placed.status, JSON.stringify(placed.body)).toBe(202);
    const orderId: string = placed.body.order.id;
    const number: string = placed.body.order.number;
    paid = { id: orderId, number, token: placed.body.orderToken, sku };
    await expect
      .poll(
        async () =>
          (await api('GET', `/api/orders/orders/${orderId}`, undefined, { 'x-order-token': placed.body.orderToken }))
            .body?.status,
        { timeout: 60_000, interval: 300 },
      )
      .toMatch(/^(confirmed|shipped|delivered)$/);

    await staff.getByRole('navigation', { name: 'Admin' }).getByRole('link', { name: 'Orders' }).click();
    await staff.getByRole('heading', { name: 'Orders', level: 1 }).waitFor();
    await staff.getByLabel('Customer email').fill(email);
    await staff.getByRole('button', { name: 'Search orders' }).click();
    await staff.getByRole('link', { name: number }).waitFor();
    await shot(staff, T, 'orders-search');
    await expectNoSeriousViolations(staff, 'admin-orders');

    await staff.getByRole('link', { name: number }).click();
    await staff.getByRole('heading', { name: new RegExp(`Order ${number}`), level: 1 }).waitFor();
    const main = staff.locator('main');
    await expect(main.textContent()).resolves.toContain(email);
    await expect(main.textContent()).resolves.toContain('1 Market St');
    await expect(main.textContent()).resolves.toMatch(/Visa •••• 4242/i);
    await shot(staff, T, 'order-detail');
    await expectNoSeriousViolations(staff, 'admin-order-detail');

    // An amount that is not money comes back with the message next to the field, the reason kept.
    await staff.getByLabel('Reason').fill('Parcel arrived late');
    await staff.getByLabel(/^Amount/).fill('abc');
    staff.once('dialog', (d) => d.accept());
    await staff.getByRole('button', { name: 'Refund', exact: true }).click();
    await expect.poll(() => staff.getByLabel(/^Amount/).getAttribute('aria-invalid')).toBe('true');
    await expect(staff.getByLabel('Reason').inputValue()).resolves.toBe('Parcel arrived late');
    await shot(staff, T, 'refund-error');

    await staff.getByLabel(/^Amount/).fill('5.00');
    staff.once('dialog', (d) => d.accept());
    await staff.getByRole('button', { name: 'Refund', exact: true }).click();
    await staff.getByText('Refund requested.').waitFor();
    await shot(staff, T, 'refund-requested');
    const refunds = staff.getByRole('table', { name: `Refunds of order ${number}` });
    await expect
      .poll(
        async () => {
          await staff.reload();
          return refunds.textContent();
        },
        { timeout: 30_000, interval: 1_000 },
      )
      .toMatch(/Staff\s*Refunded\s*\$5\.00\s*Parcel arrived late/);
    await expect(main.textContent()).resolves.toMatch(/Refunded\$5\.00/);
    await shot(staff, T, 'refund-settled');
    expect(faults(staff)).toEqual([]);
  }, 120_000);

  it("finds the admin's own account among the customers, through identity's staff search", async () => {
    await staff.getByRole('navigation', { name: 'Admin' }).getByRole('link', { name: 'Customers' }).click();
    await staff.getByRole('heading', { name: 'Customers', level: 1 }).waitFor();
    const email = shop.platform.admin.email;
    await staff.getByLabel('Email starts with').fill(email.slice(0, 4).toUpperCase());
    await staff.getByLabel('Role').selectOption('admin');
    await staff.getByRole('button', { name: 'Find accounts' }).click();
    await staff.getByRole('link', { name: email }).click();
    await staff.getByRole('heading', { name: email, level: 1 }).waitFor();
    const main = (await staff.locator('main').textContent()) ?? '';
    expect(main).toMatch(/Two-factor sign-in\s*On since/);
    expect(main).toMatch(/Live sessions\s*1/);
    expect(main).not.toMatch(/argon2|\$2[aby]\$/);
    await shot(staff, T, 'customer-detail');
    await expectNoSeriousViolations(staff, 'admin-customer-detail');
    expect(faults(staff)).toEqual([]);
  }, 30_000);

  it('lists these actions in the audit log, with filters', async () => {
    await staff.getByRole('navigation', { name: 'Admin' }).getByRole('link', { name: 'Audit log' }).click();
    await staff.getByRole('heading', { name: 'Audit log', level: 1 }).waitFor();
    // Other services' actions reach the log through events: give them a moment.
    await expect
      .poll(
        async () => {
          await staff.reload();
          return staff.locator('main').textContent();
        },
        { timeout: 20_000, interval: 1_000 },
      )
      .toMatch(/order\.refund[\s\S]*stock\.adjust\.count|stock\.adjust\.count[\s\S]*order\.refund/);
    await shot(staff, T, 'audit');
    await expectNoSeriousViolations(staff, 'admin-audit');
    await staff.getByLabel('Action').fill('order.refund');
    await staff.getByLabel('Who (account id or email)').fill(shop.platform.admin.email);
    await staff.getByRole('button', { name: 'Show entries' }).click();
    const rows = staff.getByRole('table', { name: 'Audit entries, newest first' }).locator('tbody tr');
    await expect(rows.count()).resolves.toBe(1);
    await expect(rows.first().textContent()).resolves.toMatch(/order\.refund.*amount=500/);
    await shot(staff, T, 'audit-filtered');
    expect(faults(staff)).toEqual([]);
  }, 60_000);

  it('approves a returned parcel from the queue and records the inspection with a partial refund', async () => {
    // The dev carrier delivers within a few steps; then the guest asks to return the item.
    const asGuest = { 'x-order-token': paid.token };
    await expect
      .poll(async () => (await api('GET', `/api/orders/orders/${paid.id}`, undefined, asGuest)).body?.status, {
        timeout: 60_000,
        interval: 500,
      })
      .toBe('delivered');
    const requested = await api(
      'POST',
      `/api/orders/orders/${paid.id}/returns`,
      { lines: [{ sku: paid.sku, qty: 1, reason: 'damaged' }], note: 'The strap is torn' },
      asGuest,
    );
    expect(requested.status, JSON.stringify(requested.body)).toBe(201);

    await staff.getByRole('navigation', { name: 'Admin' }).getByRole('link', { name: 'Returns' }).click();
    await staff.getByRole('heading', { name: 'Returns', level: 1 }).waitFor();
    await shot(staff, T, 'returns-queue');
    await expectNoSeriousViolations(staff, 'admin-returns');
    await staff
      .getByRole('link', { name: /^Review return / })
      .first()
      .click();
    await staff.getByRole('heading', { name: /^Return /, level: 1 }).waitFor();
    await expect(staff.locator('main').textContent()).resolves.toContain(paid.number);
    await staff.getByRole('button', { name: 'Approve return' }).click();
    await staff.getByText('Return approved').waitFor();
    await shot(staff, T, 'return-approved');

    await staff.getByLabel(/^Refund amount/).fill('10.00');
    staff.once('dialog', (d) => d.accept());
    await staff.getByRole('button', { name: 'Record inspection and refund' }).click();
    await staff.getByText('Inspection recorded').waitFor();
    await shot(staff, T, 'return-inspected');

    // The order page lists the return's refund next to the staff refund once payments has paid it.
    await staff.goto(`/admin/orders/${paid.id}`);
    const refunds = staff.getByRole('table', { name: `Refunds of order ${paid.number}` });
    await expect
      .poll(
        async () => {
          await staff.reload();
          return refunds.textContent();
        },
        { timeout: 30_000, interval: 1_000 },
      )
      .toMatch(/Return\s*Refunded\s*\$10\.00/);
    await shot(staff, T, 'order-with-return-refund');
    expect(faults(staff)).toEqual([]);
  }, 120_000);
});
