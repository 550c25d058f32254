import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoSeriousViolations, pageErrors, type Shop, shot, startShop } from './harness.ts';
import { signInAdminEnrollingMfa } from './steps.ts';

const T = 'admin-catalog';
const suffix = Date.now().toString(36);
const NAME = `Harbor Lantern ${suffix}`;
const SLUG = `harbor-lantern-${suffix}`;
const SKU = `LANTERN-${suffix}`.toUpperCase();
const DRAFT_NAME = `Porch Lantern Draft ${suffix}`;
const DRAFT_SKU = `PORCH-${suffix}`.toUpperCase();
// Images are offline (the seed's are data URLs too); the CSP allows data: images.
const IMAGE =
  "data:image/svg+xml,%3Csvg%20xmlns='http://www.w3.org/2000/svg'%20viewBox='0%200%2040%2040'%3E%3Crect%20width='40'%20height='40'%20fill='%23c9a227'/%3E%3C/svg%3E";

/** Console errors that are not faults: Chromium reports a document's own 4xx status (a form re-shown with its errors). */
const faults = (page: Page) => pageErrors(page).filter((e) => !/the server responded with a status of 4\d\d/.test(e));

/**
 * Staff run the catalog from the admin console in real Chromium, through the gateway of a
 * platform started as `npm start` does: sign in with MFA (enrolling TOTP on the first sign-in),
 * create a product and find it in the list, change its price and see the new price on the shop's
 * product page as a shopper, find a draft by its SKU with the staff search (also without
 * JavaScript) and see the overview count it exactly, with axe checks on the product list, search
 * results and edit pages.
 */
describe('admin console: catalog', () => {
  let shop: Shop;
  let staff: Page;

  beforeAll(async () => {
    shop = await startShop({ seedProducts: 20 });
  }, 180_000);
  afterAll(async () => {
    await shop?.stop();
  }, 60_000);

  it('signs the bootstrapped admin in with a password and a freshly enrolled authenticator', async () => {
    expect(shop.platform.failed).toEqual([]);
    staff = await shop.newPage();
    // The console sends a signed-out visitor to sign in, and back afterwards.
    await signInAdminEnrollingMfa(shop, staff, '/admin/products', () => shot(staff, T, 'mfa-enrol'));
    await staff.getByRole('heading', { name: 'Products', level: 1 }).waitFor();
    expect(new URL(staff.url()).pathname).toBe('/admin/products');
    await shot(staff, T, 'product-list');
    await expectNoSeriousViolations(staff, 'admin-product-list');
    expect(faults(staff)).toEqual([]);
  }, 60_000);

  it('creates a product (inline errors first) and finds it in the admin list', async () => {
    await staff.getByRole('link', { name: 'New product' }).click();
    await staff.getByRole('heading', { name: 'New product' }).waitFor();
    await staff.getByLabel('Name', { exact: true }).fill(NAME);
    await staff.getByLabel('Slug', { exact: true }).fill('Not A Slug');
    await staff.getByLabel('Price 1 amount').fill('12.345');
    await staff.getByRole('button', { name: 'Create product' }).click();
    // The form comes back with each message next to its field, what was typed kept.
    await expect.poll(() => staff.getByLabel('Slug', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    await expect(staff.getByText('Lower-case letters, digits and single dashes').count()).resolves.toBe(1);
    await expect(staff.getByText('Enter an amount like 19.99').count()).resolves.toBe(1);
    await expect(staff.getByLabel('Name', { exact: true }).inputValue()).resolves.toBe(NAME);
    await shot(staff, T, 'create-errors');

    await staff.getByLabel('Slug', { exact: true }).fill(SLUG);
    await staff.getByLabel('Description').fill('A weatherproof lantern for the porch.');
    await staff.getByLabel('Category').selectOption({ label: 'Home' });
    await staff.getByLabel('Status', { exact: true }).selectOption({ label: 'Published' });
    await staff.getByLabel('Attributes').fill('material: Brass');
    await staff.getByLabel('Image 1 URL').fill(IMAGE);
    await staff.getByLabel('Image 1 alt text').fill('A brass lantern');
    await staff.getByLabel('SKU', { exact: true }).fill(SKU);
    await staff.getByLabel('Options', { exact: true }).fill('color: Brass');
    await staff.getByLabel('Price 1 currency').fill('USD');
    await staff.getByLabel('Price 1 amount').fill('25.00');
    await staff.getByRole('button', { name: 'Create product' }).click();
    await staff.getByText('Product created.').waitFor();
    await staff.getByRole('heading', { name: NAME, level: 1 }).waitFor();
    await shot(staff, T, 'product-created');

    await staff.getByRole('navigation', { name: 'Admin' }).getByRole('link', { name: 'Products' }).click();
    await staff.getByRole('heading', { name: 'Products', level: 1 }).waitFor();
    await expect(staff.getByRole('link', { name: NAME }).count()).resolves.toBe(1);
    await shot(staff, T, 'list-with-new-product');
    expect(faults(staff)).toEqual([]);
  }, 60_000);

  it("changes the product's price and the shop's product page shows the new price", async () => {
    // A shopper looks first, so a cached copy of the old price exists to be replaced.
    const shopper = await shop.newPage();
    const before = await shopper.goto(`/p/${SLUG}`);
    expect(before?.status()).toBe(200);
    await shopper.getByRole('heading', { name: NAME, level: 1 }).waitFor();
    await expect(shopper.locator('main').textContent()).resolves.toContain('$25.00');
    await shot(shopper, T, 'shop-before');

    await staff.getByRole('link', { name: NAME }).click();
    await staff.getByRole('heading', { name: NAME, level: 1 }).waitFor();
    await expectNoSeriousViolations(staff, 'admin-product-edit');
    await staff.getByLabel(`USD price of ${SKU}`, { exact: true }).fill('19.99');
    await shot(staff, T, 'price-edit');
    await staff.getByRole('button', { name: `Save USD price of ${SKU}` }).click();
    await staff.getByText('Price saved.').waitFor();
    await expect(staff.getByLabel(`USD price of ${SKU}`, { exact: true }).inputValue()).resolves.toBe('19.99');
    await shot(staff, T, 'price-saved');

    // The catalog drops its caches on its own write and the gateway on the catalog's event.
    await expect
      .poll(
        async () => {
          await shopper.reload();
          return shopper.locator('main').textContent();
        },
        { timeout: 20_000, interval: 500 },
      )
      .toContain('$19.99');
    await expect(shopper.locator('main').textContent()).resolves.not.toContain('$25.00');
    await shot(shopper, T, 'shop-after');
    expect(faults(staff)).toEqual([]);
    expect(faults(shopper)).toEqual([]);
  }, 60_000);

  it('finds a draft by SKU with the staff search, without JavaScript too, and the overview counts it', async () => {
    /** The overview's figure for a status ("1,234 Draft products" → 1234); never a capped "100+". */
    const figure = async (label: string) => {
      await staff.goto('/admin');
      await staff.getByRole('heading', { name: 'Overview', level: 1 }).waitFor();
      const shown = (await staff.getByRole('link', { name: label }).textContent()) ?? '';
      expect(shown).toMatch(/^\s*[\d,]+\s/);
      return Number(shown.trim().split(/\s/)[0]?.replace(/,/g, ''));
    };
    const draftsBefore = await figure('Draft products');

    await staff.goto('/admin/products/new');
    await staff.getByRole('heading', { name: 'New product' }).waitFor();
    await staff.getByLabel('Name', { exact: true }).fill(DRAFT_NAME);
    await staff.getByLabel('SKU', { exact: true }).fill(DRAFT_SKU);
    await staff.getByRole('button', { name: 'Create product' }).click();
    await staff.getByText('Product created.').waitFor();

    // The list's search box: a SKU typed in lower case finds the draft (the shop would not).
    await staff.getByRole('navigation', { name: 'Admin' }).getByRole('link', { name: 'Products' }).click();
    const filters = staff.getByRole('form', { name: 'Filter products' });
    await filters.getByLabel('Search').fill(DRAFT_SKU.toLowerCase());
    await filters.getByRole('button', { name: 'Show products' }).click();
    await staff.getByRole('link', { name: DRAFT_NAME }).waitFor();
    const rows = staff.getByRole('table').getByRole('row');
    await expect(rows.count()).resolves.toBe(2); // the header and the draft
    await expect(rows.nth(1).textContent()).resolves.toContain('draft');
    await shot(staff, T, 'search-draft-by-sku');
    await expectNoSeriousViolations(staff, 'admin-product-search');

    // Words from both names: the published lantern and the draft; then only drafts.
    await filters.getByLabel('Search').fill(`lantern ${suffix}`);
    await filters.getByRole('button', { name: 'Show products' }).click();
    await staff.getByRole('link', { name: NAME }).waitFor();
    await expect(staff.getByRole('link', { name: DRAFT_NAME }).count()).resolves.toBe(1);
    await filters.getByLabel('Status').selectOption({ label: 'Draft' });
    await filters.getByRole('button', { name: 'Show products' }).click();
    await expect.poll(() => new URL(staff.url()).searchParams.get('status')).toBe('draft');
    await expect(staff.getByRole('link', { name: DRAFT_NAME }).count()).resolves.toBe(1);
    await expect(staff.getByRole('link', { name: NAME, exact: true }).count()).resolves.toBe(0);
    expect(faults(staff)).toEqual([]);

    // The same search with JavaScript off (the staff session's cookies in a fresh context).
    const plain = await shop.newPage({ javaScriptEnabled: false });
    await plain.context().addCookies(await staff.context().cookies());
    await plain.goto('/admin/products');
    await plain.getByRole('heading', { name: 'Products', level: 1 }).waitFor();
    await plain.getByLabel('Search').fill(DRAFT_SKU);
    await plain.getByRole('button', { name: 'Show products' }).click();
    await plain.getByRole('link', { name: DRAFT_NAME }).waitFor();
    await expect(plain.getByRole('table').getByRole('row').count()).resolves.toBe(2);
    await shot(plain, T, 'search-without-javascript');
    await plain.context().close();

    expect(await figure('Draft products')).toBe(draftsBefore + 1);
    await shot(staff, T, 'overview-counts');
    expect(faults(staff)).toEqual([]);
  }, 90_000);

  it('opens categories and promotions without accessibility faults', async () => {
    await staff.goto('/admin/categories');
    await staff.getByRole('heading', { name: 'Categories and brands', level: 1 }).waitFor();
    await expectNoSeriousViolations(staff, 'admin-categories');
    await shot(staff, T, 'categories');
    await staff.goto('/admin/promotions/new');
    await staff.getByRole('heading', { name: 'New promotion', level: 1 }).waitFor();
    await expectNoSeriousViolations(staff, 'admin-promotion-new');
    await staff.goto('/admin');
    await staff.getByRole('heading', { name: 'Overview', level: 1 }).waitFor();
    await shot(staff, T, 'overview');
    expect(faults(staff)).toEqual([]);
  }, 60_000);
});
