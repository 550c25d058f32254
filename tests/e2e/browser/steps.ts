import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { type Shop, totp } from './harness.ts';

/** Steps the browser suites share: finding stock to buy, a shopper's moves on the shop pages, the admin's first sign-in. */

export interface StockedItem {
  slug: string;
  sku: string;
  name: string;
}

// biome-ignore lint/suspicious/noExplicitAny: probing JSON answers.
async function api(shop: Shop, path: string): Promise<any> {
  const res = await fetch(`${shop.platform.gatewayUrl}${path}`);
  expect(res.status, path).toBe(200);
  return res.json();
}

/**
 * Up to `want` of the `limit` newest products that have a USD-priced variant with at least
 * `minAvailable` units to spare, each with the first such variant.
 */
export async function stockedItems(
  shop: Shop,
  o: { limit: number; want: number; minAvailable: number },
): Promise<StockedItem[]> {
  const stocked: StockedItem[] = [];
  const list = await api(shop, `/api/catalog/products?limit=${o.limit}&sort=newest`);
  for (const item of list.items as { slug: string }[]) {
    const p = await api(shop, `/api/catalog/products/${item.slug}`);
    const skus = (p.variants as { sku: string; prices: { currency: string }[] }[])
      .filter((v) => v.prices.some((x) => x.currency === 'USD'))
      .map((v) => v.sku);
    if (skus.length === 0) continue;
    const avail = await api(shop, `/api/inventory/availability?${skus.map((s) => `sku=${s}`).join('&')}`);
    const ok = (avail.items as { sku: string; available: number }[]).find((a) => a.available >= o.minAvailable);
    if (ok) stocked.push({ slug: p.slug, sku: ok.sku, name: p.name });
    if (stocked.length >= o.want) break;
  }
  return stocked;
}

/** From the product page: `quantity` of the variant into the cart, on the cart page after. */
export async function addToCart(page: Page, item: { slug: string; sku: string }, quantity = 1): Promise<void> {
  await page.goto(`/p/${item.slug}?sku=${item.sku}`);
  await page.getByLabel('Quantity').fill(String(quantity));
  await page.getByRole('button', { name: 'Add to cart' }).click();
  await page.waitForURL(/\/cart/);
}

/** The delivery address on the checkout page (San Francisco) and standard shipping. */
export async function fillAddress(page: Page, fullName: string): Promise<void> {
  await page.getByLabel('Full name').fill(fullName);
  await page.getByLabel('Address', { exact: true }).fill('1 Market St');
  await page.getByLabel('City').fill('San Francisco');
  await page.getByLabel('State / county (optional)').fill('CA');
  await page.getByLabel('Postal code').fill('94105');
  await page.getByLabel('Country').selectOption('US');
  await page.getByRole('radio', { name: /Standard/ }).check();
}

/** A card on the checkout page's own fields (the sandbox provider), expiring in three years. */
export async function fillSandboxCard(page: Page, card: string): Promise<void> {
  await page.getByLabel('Card number').fill(card);
  await page
    .getByLabel('Expiry (MM/YY)')
    .fill(`12/${String((new Date().getUTCFullYear() + 3) % 100).padStart(2, '0')}`);
  await page.getByLabel('Security code (CVC)').fill('123');
}

/**
 * The bootstrapped admin's first sign-in: `path` is a console page, which sends a signed-out
 * visitor to sign in (and back afterwards); the password, then enrolment of an authenticator and
 * past the recovery codes. `atEnrol` runs on the enrolment page (a screenshot, say). Returns the
 * TOTP secret; the caller waits for its page's heading.
 */
export async function signInAdminEnrollingMfa(
  shop: Shop,
  page: Page,
  path: string,
  atEnrol?: () => Promise<unknown>,
): Promise<string> {
  await page.goto(path);
  await expect.poll(() => new URL(page.url()).pathname).toBe('/account/sign-in');
  await page.getByLabel('Email address').fill(shop.platform.admin.email);
  await page.getByLabel('Password', { exact: true }).fill(shop.platform.admin.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Set up two-step verification' }).waitFor();
  const secret = (await page.locator('code[data-copy]').first().getAttribute('data-copy')) ?? '';
  expect(secret).toMatch(/^[A-Z2-7]+=*$/);
  await atEnrol?.();
  await page.getByLabel('Authenticator code').fill(totp(secret));
  await page.getByRole('button', { name: 'Turn on two-step verification' }).click();
  await page.getByRole('heading', { name: 'Save your recovery codes' }).waitFor();
  await page.getByRole('link', { name: 'I have saved my codes, continue' }).click();
  return secret;
}
