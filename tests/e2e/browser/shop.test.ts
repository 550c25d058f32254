import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoSeriousViolations, pageErrors, type Shop, shot, startShop } from './harness.ts';
import { addToCart as addToCartStep, fillAddress, fillSandboxCard, type StockedItem, stockedItems } from './steps.ts';

/**
 * The shop as a guest uses it in real Chromium, through the gateway (CSP with nonces on): browse,
 * search with a typo, buy with the sandbox card, see a declined card with the cart kept, and pass
 * a 3-D Secure challenge. One platform for the whole file.
 */
describe('shop pages in a browser', () => {
  let shop: Shop;
  /** A product whose first in-stock variant has units to spare: its slug and SKU. */
  const stocked: StockedItem[] = [];

  beforeAll(async () => {
    shop = await startShop({ seedProducts: 60 });
    stocked.push(...(await stockedItems(shop, { limit: 40, want: 4, minAvailable: 10 })));
    expect(stocked.length).toBeGreaterThanOrEqual(4);
  }, 240_000);
  afterAll(async () => {
    await shop?.stop();
  }, 60_000);

  /** No console errors: CSP violations, script errors, failed loads (document 4xx aside). */
  const clean = (page: Page) => expect(pageErrors(page).filter((e) => !/status of 4\d\d/.test(e))).toEqual([]);

  /** Added, and the cart page says so once. */
  async function addToCart(page: Page, item: { slug: string; sku: string }, quantity = 1) {
    await addToCartStep(page, item, quantity);
    await expect(page.getByRole('status').filter({ hasText: 'Added to your cart' }).count()).resolves.toBe(1);
  }

  async function fillCheckout(page: Page, card: string) {
    await page.goto('/checkout');
    await page.getByLabel('Email').fill('ada.guest@example.com');
    await fillAddress(page, 'Ada Guest');
    await fillSandboxCard(page, card);
  }

  async function awaitHeading(page: Page, pattern: RegExp) {
    await page.getByRole('heading', { level: 1, name: pattern }).waitFor({ timeout: 45_000 });
  }

  it('home, category, search, product, cart and checkout render without CSP errors and pass axe', async () => {
    const page = await shop.newPage();
    await page.goto('/');
    await expect(page.getByRole('heading', { name: 'New arrivals' }).count()).resolves.toBe(1);
    await shot(page, 'shop-pages', 'home');
    await expectNoSeriousViolations(page, 'shop-home');
    clean(page);

    await page.getByRole('navigation', { name: 'Categories' }).getByRole('link', { name: 'Electronics' }).click();
    await page.waitForURL(/\/c\/electronics/);
    await expect(page.getByRole('heading', { level: 1, name: 'Electronics' }).count()).resolves.toBe(1);
    // A facet applies without script as a GET form; shop.js submits it on change.
    const firstBrand = page.getByRole('group', { name: 'Brand' }).getByRole('checkbox').first();
    await firstBrand.check();
    await page.waitForURL(/brand=/);
    await expect(page.getByRole('link', { name: /Brand: .* \(remove\)/ }).count()).resolves.toBe(1);
    await shot(page, 'shop-pages', 'category-filtered');
    await expectNoSeriousViolations(page, 'shop-category');
    clean(page);

    await page.goto('/search?q=phone');
    await expect(page.getByRole('heading', { level: 1, name: /Results for/ }).count()).resolves.toBe(1);
    await shot(page, 'shop-pages', 'search');
    await expectNoSeriousViolations(page, 'shop-search');
    clean(page);

    const item = stocked[0] as (typeof stocked)[number];
    await page.goto(`/p/${item.slug}?sku=${item.sku}`);
    await expect(page.getByRole('heading', { level: 1, name: item.name }).count()).resolves.toBe(1);
    await expect(page.getByRole('heading', { name: 'Reviews' }).count()).resolves.toBe(1);
    await expect(page.getByRole('heading', { name: 'Delivery and pickup' }).count()).resolves.toBe(1);
    await shot(page, 'shop-pages', 'product');
    await expectNoSeriousViolations(page, 'shop-product');
    clean(page);

    await addToCart(page, item, 2);
    await expect(page.getByLabel(/Quantity of/).inputValue()).resolves.toBe('2');
    await page.getByRole('radio', { name: /Standard/ }).check();
    await page.getByLabel('Delivery region (for tax)').selectOption('US-CA');
    await page.getByRole('button', { name: 'Update delivery' }).click();
    await page.waitForURL(/done=shipping/);
    await expect(page.locator('.summary dd.total').textContent()).resolves.toMatch(/\$\d/);
    await shot(page, 'shop-pages', 'cart');
    await expectNoSeriousViolations(page, 'shop-cart');
    clean(page);

    // A promotion code that does not exist says so next to the field.
    await page.getByLabel('Code', { exact: true }).fill('NOSUCHCODE');
    await page.getByRole('button', { name: 'Apply code' }).click();
    await expect(page.locator('#f-code-err').textContent()).resolves.toMatch(/code/i);

    await page.goto('/checkout');
    await expect(page.getByRole('heading', { level: 1, name: 'Checkout' }).count()).resolves.toBe(1);
    await shot(page, 'shop-pages', 'checkout');
    await expectNoSeriousViolations(page, 'shop-checkout');
    // Submitting empty shows inline errors, not a failure page.
    await page.getByLabel('Email').fill('not-an-email');
    await page.locator('#checkout-form').evaluate((f) => f.setAttribute('novalidate', ''));
    await page.getByRole('button', { name: 'Place order' }).click();
    await expect(page.getByRole('alert').first().textContent()).resolves.toMatch(/correct/i);
    await expect(page.locator('#f-email-err').textContent()).resolves.toMatch(/valid email/);
    await shot(page, 'shop-pages', 'checkout-errors');
    clean(page);

    // On a phone: one column, nothing cut off, still accessible.
    const phone = await shop.newPage({ viewport: { width: 390, height: 844 }, isMobile: true });
    await phone.goto(`/p/${item.slug}?sku=${item.sku}`);
    await shot(phone, 'shop-pages', 'product-phone');
    await expectNoSeriousViolations(phone, 'shop-product-phone');
    const overflow = await phone.evaluate<number>(
      'document.documentElement.scrollWidth - document.documentElement.clientWidth',
    );
    expect(overflow).toBeLessThanOrEqual(0);
    await phone.goto('/c/electronics');
    await shot(phone, 'shop-pages', 'category-phone');
    clean(phone);
  }, 90_000);

  it('search with a typo finds results and says what it searched for', async () => {
    const page = await shop.newPage();
    await page.goto('/search?q=headphnes');
    await expect(page.getByText('Did you mean').count()).resolves.toBeGreaterThan(0);
    await expect(page.locator('.grid .product-card').count()).resolves.toBeGreaterThan(0);
    await shot(page, 'shop-typo-search', 'results');
    clean(page);
  });

  it('a guest pays with the sandbox card and follows the order to confirmed', async () => {
    const page = await shop.newPage();
    await addToCart(page, stocked[1] as (typeof stocked)[number]);
    await fillCheckout(page, '4242 4242 4242 4242');
    await shot(page, 'shop-guest-checkout', 'filled');
    await page.getByRole('button', { name: 'Place order' }).click();
    await page.waitForURL(/\/orders\/[0-9a-f-]{36}/);
    await awaitHeading(page, /confirmed|on its way|delivered/i);
    await expect(page.getByRole('heading', { name: 'What happens next' }).count()).resolves.toBe(1);
    await expect(page.locator('.summary dd.total').textContent()).resolves.toMatch(/\$\d/);
    await shot(page, 'shop-guest-checkout', 'confirmed');
    await expectNoSeriousViolations(page, 'shop-order-confirmed');
    clean(page);
    // The cart is done with: empty now.
    await page.goto('/cart');
    await expect(page.getByText('Your cart is empty.').count()).resolves.toBe(1);
  }, 90_000);

  it('a declined card shows a clear message and the cart stays as it was', async () => {
    const page = await shop.newPage();
    const item = stocked[2] as (typeof stocked)[number];
    await addToCart(page, item, 2);
    await fillCheckout(page, '4000 0000 0000 9995');
    await page.getByRole('button', { name: 'Place order' }).click();
    const alert = page.getByRole('alert').filter({ hasText: /declined/i });
    await alert.waitFor({ timeout: 30_000 });
    await expect(alert.textContent()).resolves.toMatch(/insufficient funds.*cart is saved/i);
    // The address is kept, the card fields are empty for another card.
    await expect(page.getByLabel('Full name').inputValue()).resolves.toBe('Ada Guest');
    await expect(page.getByLabel('Card number').inputValue()).resolves.toBe('');
    await shot(page, 'shop-declined', 'declined');
    await expectNoSeriousViolations(page, 'shop-declined');
    clean(page);
    await page.goto('/cart');
    await expect(page.getByRole('link', { name: item.name }).count()).resolves.toBe(1);
    await expect(page.getByLabel(`Quantity of ${item.name}`).inputValue()).resolves.toBe('2');
    await shot(page, 'shop-declined', 'cart-intact');
    // Another card works with the same cart.
    await fillCheckout(page, '4242424242424242');
    await page.getByRole('button', { name: 'Place order' }).click();
    await page.waitForURL(/\/orders\//);
    await awaitHeading(page, /confirmed|on its way|delivered/i);
    await shot(page, 'shop-declined', 'second-card-confirmed');
  }, 120_000);

  it('3-D Secure: the shopper approves the challenge and comes back to a confirmed order', async () => {
    const page = await shop.newPage();
    await addToCart(page, stocked[3] as (typeof stocked)[number]);
    await fillCheckout(page, '4000 0025 0000 3155');
    await page.getByRole('button', { name: 'Place order' }).click();
    await page.waitForURL(/\/sandbox\/3ds\//, { timeout: 30_000 });
    await shot(page, 'shop-3ds', 'challenge');
    await page.getByRole('button', { name: 'Approve' }).click();
    await page.waitForURL(/\/orders\/[0-9a-f-]{36}/);
    await awaitHeading(page, /confirmed|on its way|delivered/i);
    await shot(page, 'shop-3ds', 'confirmed');
    clean(page);
  }, 90_000);
});
