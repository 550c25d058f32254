import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoSeriousViolations, pageErrors, type Shop, shot, startShop, totp } from './harness.ts';
import { addToCart, fillAddress, fillSandboxCard, type StockedItem, stockedItems } from './steps.ts';

const T = 'account';

/**
 * A shopper's account in real Chromium through the gateway (CSP with nonces on): a guest puts
 * something in the cart, signs up, follows the verification link (read from identity's
 * `LOG_TOKENS_FOR_DEV` line in the launcher output, as a developer would after `npm start`), signs
 * in (the guest cart comes along), checks out through the shop pages, finds the order in the
 * history, follows it to delivered (the dev carrier walks the parcel; its step is shortened here)
 * and asks for a return, which then shows on the order page. Staff: enrol MFA, then the MFA step
 * with a recovery code. One platform for the file.
 */
describe('account pages in a browser', () => {
  let shop: Shop;
  let page: Page;
  let item: StockedItem;
  const email = `ada.${Date.now().toString(36)}@example.com`;
  const password = 'correct horse battery staple';
  let orderNumber = '';

  beforeAll(async () => {
    // The dev carrier walks a parcel one status per DEVCARRIER_STEP_MS (5 s by default); the
    // launcher passes its environment on, so delivery comes within seconds here.
    const before = process.env.DEVCARRIER_STEP_MS;
    process.env.DEVCARRIER_STEP_MS = '800';
    try {
      shop = await startShop({ seedProducts: 40 });
    } finally {
      if (before === undefined) delete process.env.DEVCARRIER_STEP_MS;
      else process.env.DEVCARRIER_STEP_MS = before;
    }
    item = (await stockedItems(shop, { limit: 30, want: 1, minAvailable: 5 }))[0] as StockedItem;
    expect(item).toBeDefined();
  }, 240_000);
  afterAll(async () => {
    await shop?.stop();
  }, 60_000);

  /** No console errors: CSP violations, script errors (a document's own 4xx aside). */
  const clean = (p: Page) => expect(pageErrors(p).filter((e) => !/status of 4\d\d/.test(e))).toEqual([]);

  /** Identity's dev-only line in the launcher output: `dev only: verify-email link for <email>`. */
  async function linkFor(address: string, purpose: 'verify-email' | 'reset-password'): Promise<string> {
    let found: string | undefined;
    await expect
      .poll(
        () => {
          const lines = shop.platform.output.join('').split('\n');
          const line = lines.find((l) => l.includes(address) && l.includes(`/account/${purpose}?token=`));
          found = line?.match(/(https?:\/\/[^\s"]+\/account\/[\w-]+\?token=[\w-]+)/)?.[1];
          return found;
        },
        { timeout: 15_000 },
      )
      .toBeDefined();
    return found as string;
  }

  it('starts every service', () => {
    expect(shop.platform.failed).toEqual([]);
  });

  it('signs up, verifies the email from the emailed link and signs in; the guest cart comes along', async () => {
    page = await shop.newPage();
    // As a guest first: a cart line that should survive the sign-in.
    await addToCart(page, item, 2);

    await page.goto('/account/sign-up');
    await expect(page.getByRole('heading', { level: 1, name: 'Create an account' }).count()).resolves.toBe(1);
    await expect(page.getByText(/At least 12 characters/).count()).resolves.toBe(1);
    await shot(page, T, 'sign-up');
    await expectNoSeriousViolations(page, 'account-sign-up');
    // A short password is refused next to the field, the email kept.
    await page.getByLabel('Email address').fill(email);
    await page.getByLabel('Password').fill('too short');
    await page.locator('form[action="/account/sign-up"]').evaluate((f) => f.setAttribute('novalidate', ''));
    await page.getByRole('button', { name: 'Create account' }).click();
    await expect(page.locator('#f-password-err').textContent()).resolves.toMatch(/at least 12 characters/);
    await expect(page.getByLabel('Email address').inputValue()).resolves.toBe(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('heading', { level: 1, name: 'Check your inbox' }).waitFor();
    await shot(page, T, 'check-inbox');
    clean(page);

    // The link identity would email, as the launcher prints it (it names /account/verify-email).
    const link = await linkFor(email, 'verify-email');
    expect(new URL(link).origin).toBe(shop.baseUrl);
    await page.goto(link);
    await page.getByRole('heading', { level: 1, name: 'Confirm your email address' }).waitFor();
    await page.getByRole('button', { name: 'Confirm my email address' }).click();
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    await expect(page.getByText('Your email address is confirmed').count()).resolves.toBe(1);
    await shot(page, T, 'verified-sign-in');
    await expectNoSeriousViolations(page, 'account-sign-in');

    // A wrong password gets the one generic answer.
    await page.getByLabel('Email address').fill(email);
    await page.getByLabel('Password').fill('not the password at all');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toMatch(/email address and password do not match/);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Your account' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/account');
    await expect(page.getByText(email).count()).resolves.toBe(1);
    await expect(page.getByText('Confirmed', { exact: true }).count()).resolves.toBe(1);
    await shot(page, T, 'account-overview');
    await expectNoSeriousViolations(page, 'account-overview');
    clean(page);

    // The guest's line is now in the account's cart (merged on the way in).
    await page.goto('/cart');
    await expect(page.getByLabel(/Quantity of/).inputValue()).resolves.toBe('2');
  }, 90_000);

  it('checks out through the shop pages and finds the order in the history', async () => {
    await page.getByRole('radio', { name: /Standard/ }).check();
    await page.getByLabel('Delivery region (for tax)').selectOption('US-CA');
    await page.getByRole('button', { name: 'Update delivery' }).click();
    await page.waitForURL(/done=shipping/);
    await page.goto('/checkout');
    await fillAddress(page, 'Ada Lovelace');
    await fillSandboxCard(page, '4242 4242 4242 4242');
    await page.getByRole('button', { name: 'Place order' }).click();
    await page.waitForURL(/\/orders\/[0-9a-f-]{36}/, { timeout: 30_000 });
    const orderId = new URL(page.url()).pathname.split('/').pop() as string;

    await page.goto('/account/orders');
    await page.getByRole('heading', { level: 1, name: 'Your orders' }).waitFor();
    const row = page.getByRole('row').filter({ has: page.getByRole('link', { name: /^SF-/ }) });
    await expect(row.count()).resolves.toBe(1);
    orderNumber = ((await row.getByRole('link').textContent()) ?? '').trim();
    expect(orderNumber).toMatch(/^SF-/);
    await shot(page, T, 'order-history');
    await expectNoSeriousViolations(page, 'account-orders');
    await row.getByRole('link').click();
    await page.waitForURL(`**/account/orders/${orderId}`);
    await page.getByRole('heading', { level: 1, name: `Order ${orderNumber}` }).waitFor();
    await expect(
      page.getByRole('cell', { name: new RegExp(item.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) }).count(),
    ).resolves.toBe(1);
    await shot(page, T, 'order-detail-in-progress');
    clean(page);
  }, 90_000);

  it('follows the order to delivered on its own page, requests a return and sees it there', async () => {
    // account.js updates the status in place (no reload) while the parcel moves.
    const status = page.locator('#order-status');
    await expect.poll(() => status.textContent(), { timeout: 90_000, interval: 1_000 }).toMatch(/Delivered/);
    const link = page.getByRole('link', { name: 'Request a return' });
    await expect.poll(() => link.count(), { timeout: 30_000 }).toBe(1);
    await expect(page.getByRole('heading', { name: 'Tracking' }).count()).resolves.toBe(1);
    await expect(
      page
        .getByRole('list', { name: /Tracking history/ })
        .getByRole('listitem')
        .count(),
    ).resolves.toBeGreaterThanOrEqual(4);
    await shot(page, T, 'order-delivered-tracking');
    await expectNoSeriousViolations(page, 'account-order-detail');
    clean(page);

    await link.click();
    await page.getByRole('heading', { level: 1, name: `Return items from order ${orderNumber}` }).waitFor();
    await expectNoSeriousViolations(page, 'account-return-form');
    // Nothing chosen: said next to the form, nothing sent.
    await page.getByRole('button', { name: 'Request the return' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toMatch(/Choose at least one item/);
    await page.getByLabel('Quantity to return').selectOption('1');
    await page.getByLabel('Reason').selectOption('does_not_fit');
    await page.getByLabel('Anything we should know? (optional)').fill('One size too small.');
    await shot(page, T, 'return-form');
    await page.getByRole('button', { name: 'Request the return' }).click();
    await page.waitForURL(/done=return-requested/);
    await expect(page.getByText('Your return request is in').count()).resolves.toBe(1);
    const returns = page.getByRole('region', { name: 'Returns' });
    await expect(returns.getByText('Requested', { exact: true }).count()).resolves.toBe(1);
    await expect(returns.getByText(/× 1/).count()).resolves.toBe(1);
    await expect(returns.getByText('(Does not fit)').count()).resolves.toBe(1);
    await shot(page, T, 'return-requested');
    await expectNoSeriousViolations(page, 'account-order-with-return');
    clean(page);
  }, 150_000);

  it('lists the sessions, signs out, and a signed-out visit comes back after sign-in (next)', async () => {
    await page.goto('/account/sessions');
    await expect(page.getByText('This device', { exact: true }).count()).resolves.toBe(1);
    await shot(page, T, 'sessions');
    await expectNoSeriousViolations(page, 'account-sessions');
    await page.getByRole('button', { name: 'Sign out here' }).click();
    await page.getByText('You are signed out.').waitFor();
    const cookies = await page.context().cookies();
    expect(cookies.filter((c) => ['sf_at', 'sf_rt', 'sf_csrf'].includes(c.name))).toEqual([]);

    await page.goto('/account/orders');
    expect(new URL(page.url()).pathname).toBe('/account/sign-in');
    expect(new URL(page.url()).searchParams.get('next')).toBe('/account/orders');
    await page.getByLabel('Email address').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Your orders' }).waitFor();
    // An off-site next is ignored.
    await page.goto('/account/sign-in?next=https%3A%2F%2Fevil.example%2F');
    await page.getByRole('link', { name: 'Continue' }).waitFor();
    await expect(page.getByRole('link', { name: 'Continue' }).getAttribute('href')).resolves.toBe('/account');
    clean(page);
  }, 60_000);

  it('staff: enrols two-step verification, then signs in with a recovery code at the MFA step', async () => {
    const staff = await shop.newPage();
    await staff.goto('/account/sign-in?next=%2Faccount');
    await staff.getByLabel('Email address').fill(shop.platform.admin.email);
    await staff.getByLabel('Password').fill(shop.platform.admin.password);
    await staff.getByRole('button', { name: 'Sign in' }).click();
    await staff.getByRole('heading', { level: 1, name: 'Set up two-step verification' }).waitFor();
    await shot(staff, T, 'staff-mfa-enrol');
    await expectNoSeriousViolations(staff, 'account-mfa-enrol');
    const secret = (await staff.locator('code[data-copy]').getAttribute('data-copy')) as string;
    expect(secret).toMatch(/^[A-Z2-7]{16,}$/);
    await expect(staff.locator('a[href^="otpauth://totp/"]').count()).resolves.toBe(1);
    await staff.getByLabel('Authenticator code').fill(totp(secret));
    await staff.getByRole('button', { name: 'Turn on two-step verification' }).click();
    await staff.getByRole('heading', { level: 1, name: 'Save your recovery codes' }).waitFor();
    const codes = await staff.getByRole('list', { name: 'Recovery codes' }).getByRole('listitem').allTextContents();
    expect(codes).toHaveLength(10);
    await shot(staff, T, 'staff-recovery-codes');
    await staff.getByRole('link', { name: 'I have saved my codes, continue' }).click();
    await staff.getByRole('heading', { level: 1, name: 'Your account' }).waitFor();
    await expect(staff.getByText('On (used for this session)').count()).resolves.toBe(1);

    await staff.getByRole('navigation', { name: 'Your account' }).getByRole('button', { name: 'Sign out' }).click();
    await staff.getByText('You are signed out.').waitFor();
    await staff.getByLabel('Email address').fill(shop.platform.admin.email);
    await staff.getByLabel('Password').fill(shop.platform.admin.password);
    await staff.getByRole('button', { name: 'Sign in' }).click();
    await staff.getByRole('heading', { level: 1, name: 'Two-step verification' }).waitFor();
    await expectNoSeriousViolations(staff, 'account-mfa-step');
    // A wrong code is refused kindly; a recovery code (each works once) gets in.
    await staff.getByLabel('Authenticator code').fill('000000');
    await staff.getByRole('button', { name: 'Verify', exact: true }).click();
    await expect(staff.getByRole('alert').textContent()).resolves.toMatch(/That code did not work/);
    await staff.getByText('Lost your device? Use a recovery code').click();
    await staff.getByLabel('Recovery code').fill((codes[0] ?? '').trim());
    await staff.getByRole('button', { name: 'Verify with recovery code' }).click();
    await staff.waitForURL(/\/admin/);
    await shot(staff, T, 'staff-admin-after-mfa');
    clean(staff);
  }, 60_000);
});
