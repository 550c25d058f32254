import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  crawl,
  expectPrivateCookies,
  faults,
  KNOWN_TOO_WIDE,
  mainLinks,
  openOk,
  PHONE,
  retried,
  sortTooWide,
  stockedProduct,
  tooWide,
} from './crawler.ts';
import { expectNoSeriousViolations, pageErrors, type Shop, shot, startShop } from './harness.ts';
import { signInAdminEnrollingMfa } from './steps.ts';

const T = 'crawl';

/**
 * A quality pass over the whole web app in real Chromium through the gateway of a platform
 * started as `npm start` does: every page reachable from `/` as a guest, and from `/admin` (and
 * `/`) as the bootstrapped admin signed in with MFA, is a 200 HTML page with one <h1> and a
 * <main>, labelled controls, images with alt text, no console or CSP errors, no broken links and
 * axe-clean (one page per route pattern); the main pages fit a phone; the manifest, the 404 page,
 * the bad-link page and a forged form all answer as a person (or a browser) expects.
 */
describe('crawl: every reachable page', () => {
  let shop: Shop;
  let origin: string;
  let staff: Page;
  let mfaSecret = '';
  /** One page of each route pattern the crawls rendered, for the phone pass. */
  let guestKinds = new Map<string, string>();
  let adminKinds = new Map<string, string>();
  let secrets: string[];

  beforeAll(async () => {
    shop = await startShop({ seedProducts: 24 });
    origin = new URL(shop.baseUrl).origin;
    secrets = [shop.platform.adminToken, shop.platform.admin.password].filter((s) => s.length >= 8);
  }, 180_000);
  afterAll(async () => {
    if (retried.length > 0) console.info(`crawl: asked again after waiting: ${retried.join(', ')}`);
    await shop?.stop();
  }, 60_000);

  it('as a guest: every page from / renders cleanly and passes axe', async () => {
    expect(shop.platform.failed).toEqual([]);
    const page = await shop.newPage();
    await page.goto('/');
    await shot(page, T, 'guest-home');
    const result = await crawl(page.context(), origin, ['/'], {
      limit: 60,
      perKey: 2,
      workers: 3,
      label: 'crawl-guest',
      secrets,
      signedIn: false,
    });
    guestKinds = result.patterns;
    expect(result.problems).toEqual([]);
    expect(result.visited.length).toBeGreaterThan(10);
    for (const p of ['/', '/c/:slug', '/p/:slug', '/search', '/cart', '/account/sign-in']) {
      expect([...result.patterns.keys()], p).toContain(p);
    }
    // The guest's cookies are out of reach of script and of other sites (but the header's item
    // count, readable on purpose).
    expectPrivateCookies(await page.context().cookies(), ['sf_cart_n']);
  }, 90_000);

  it('signs the bootstrapped admin in with MFA; the session cookies are HttpOnly and same-site', async () => {
    staff = await shop.newPage();
    mfaSecret = await signInAdminEnrollingMfa(shop, staff, '/admin');
    await staff.getByRole('heading', { name: 'Overview', level: 1 }).waitFor();
    await shot(staff, T, 'admin-overview');

    // Identity's session cookies: HttpOnly (its CSRF cookie is readable by design) and same-site.
    const cookies = await staff.context().cookies();
    expect(cookies.map((c) => c.name)).toContain('sf_at');
    expectPrivateCookies(cookies, ['sf_cart_n', 'sf_csrf']);

    // A promotion, so the crawl has one to open (through the API, as the signed-in admin).
    const csrf = cookies.find((c) => c.name === 'sf_csrf')?.value ?? '';
    const promo = await staff.context().request.post('/api/cart/admin/promotions', {
      data: {
        code: `CRAWL${Date.now().toString(36).toUpperCase()}`,
        name: 'Crawl ten',
        effect: { kind: 'percentage', percentBp: 1000 },
      },
      headers: { 'x-csrf-token': csrf },
      failOnStatusCode: false,
    });
    expect(promo.status(), await promo.text()).toBe(201);
  }, 60_000);

  it('the main pages fit a phone (no sideways scrolling), a guest order placed on it included', async () => {
    const phone = await shop.newPage(PHONE);
    const admin = await shop.newPage({ ...PHONE, storageState: await staff.context().storageState() });

    /** The first link in the page's main area whose address matches `pattern` (there must be one). */
    async function linkIn(page: Page, pattern: RegExp): Promise<string> {
      const href = (await mainLinks(page)).find((h) => pattern.test(h));
      expect(href, String(pattern)).toBeTruthy();
      return href as string;
    }

    /** `path` opened (or the page as it is, without one) fits the phone; a screenshot either way. */
    async function fits(page: Page, path: string | undefined, step: string): Promise<string[]> {
      if (path !== undefined) await openOk(page, path);
      await shot(page, T, `phone-${step}`);
      const overflow = await tooWide(page);
      return overflow ? [`${path ?? page.url()}: ${overflow}`] : [];
    }

    const problems: string[] = [];
    problems.push(...(await fits(phone, '/', 'home')));
    const category = await phone.locator('nav[aria-label="Categories"] a').first().getAttribute('href');
    problems.push(...(await fits(phone, category ?? '/search', 'category')));
    const item = await stockedProduct(shop.platform.gatewayUrl);
    problems.push(...(await fits(phone, `/p/${item.slug}?sku=${item.sku}`, 'product')));
    await phone.getByRole('button', { name: 'Add to cart' }).click();
    await phone.waitForURL(/\/cart/);
    problems.push(...(await fits(phone, undefined, 'cart')));
    problems.push(...(await fits(phone, '/checkout', 'checkout')));

    // The guest pays with the sandbox card on the phone; the order is then there for the admin crawl.
    await phone.getByLabel('Email').fill('crawl.guest@example.com');
    await phone.getByLabel('Full name').fill('Crawl Guest');
    await phone.getByLabel('Address', { exact: true }).fill('1 Market St');
    await phone.getByLabel('City').fill('San Francisco');
    await phone.getByLabel('Postal code').fill('94105');
    await phone.getByLabel('Country').selectOption('US');
    await phone.getByRole('radio', { name: /Standard/ }).check();
    await phone.getByLabel('Card number').fill('4242 4242 4242 4242');
    await phone
      .getByLabel('Expiry (MM/YY)')
      .fill(`12/${String((new Date().getUTCFullYear() + 3) % 100).padStart(2, '0')}`);
    await phone.getByLabel('Security code (CVC)').fill('123');
    await phone.getByRole('button', { name: 'Place order' }).click();
    await phone.waitForURL(/\/orders\/[0-9a-f-]{36}/, { timeout: 30_000 });
    problems.push(...(await fits(phone, undefined, 'order')));

    problems.push(...(await fits(phone, '/account/sign-in', 'sign-in')));
    problems.push(...(await fits(admin, '/admin/orders', 'admin-orders')));
    const order = await linkIn(admin, /^\/admin\/orders\/[0-9a-f-]{36}$/);
    problems.push(...(await fits(admin, order, 'admin-order')));
    problems.push(...(await fits(admin, '/admin/products', 'admin-products')));
    const edit = await linkIn(admin, /^\/admin\/products\/[0-9a-f-]{36}$/);
    problems.push(...(await fits(admin, edit, 'admin-product-edit')));
    problems.push(...(await fits(admin, '/admin/inventory', 'admin-inventory')));
    problems.push(...(await fits(admin, '/admin/customers', 'admin-customers')));
    const customer = await linkIn(admin, /^\/admin\/customers\/[0-9a-f-]{36}$/);
    problems.push(...(await fits(admin, customer, 'admin-customer')));
    problems.push(...(await fits(admin, '/account', 'account')));
    problems.push(...(await fits(admin, '/account/sessions', 'account-sessions')));
    const { fresh, known } = sortTooWide(problems);
    expect(fresh).toEqual([]);
    // A known one that fits now comes off the list.
    expect(Object.keys(KNOWN_TOO_WIDE).filter((k) => !known.has(k))).toEqual([]);
    expect(faults(pageErrors(phone))).toEqual([]);
    expect(faults(pageErrors(admin))).toEqual([]);
  }, 90_000);

  it('as the admin: every page from /admin and / renders cleanly and passes axe', async () => {
    const result = await crawl(staff.context(), origin, ['/admin', '/'], {
      limit: 100,
      perKey: 2,
      workers: 3,
      label: 'crawl-admin',
      secrets: [...secrets, mfaSecret],
      signedIn: true,
    });
    adminKinds = result.patterns;
    expect(result.problems).toEqual([]);
    for (const p of [
      '/admin',
      '/admin/products',
      '/admin/products/:id',
      '/admin/orders',
      '/admin/orders/:id',
      '/admin/promotions/:id',
      '/admin/inventory',
      '/admin/audit',
      '/account',
    ]) {
      expect([...result.patterns.keys()], p).toContain(p);
    }
  }, 120_000);

  it('one page of every kind the crawls found fits a phone too', async () => {
    const problems: string[] = [];
    const storageState = await staff.context().storageState();
    for (const [kinds, options] of [
      [guestKinds, PHONE],
      [adminKinds, { ...PHONE, storageState }],
    ] as const) {
      const page = await shop.newPage(options);
      for (const path of kinds.values()) {
        await openOk(page, path);
        const overflow = await tooWide(page);
        if (overflow) problems.push(`${path}: ${overflow}`);
      }
      await page.close();
    }
    expect(guestKinds.size + adminKinds.size).toBeGreaterThan(20);
    expect(sortTooWide(problems).fresh).toEqual([]);
  }, 60_000);

  it('a signed-in form left open past its access token renews the session before it posts', async () => {
    const page = await staff.context().newPage();
    // Only the page's clock moves on: app.js believes the token has run out, identity does not care.
    await page.clock.install();
    await page.goto('/admin/orders');
    await page.locator('main a[href^="/admin/orders/"]').first().click();
    await page.getByRole('heading', { name: 'Internal notes' }).waitFor();
    await page.clock.fastForward('20:00');
    await page.getByLabel('New note (staff only)').fill('Checked by the crawl.');
    const renewed = page.waitForResponse((r) => r.url().endsWith('/api/identity/token/refresh'));
    await page.getByRole('button', { name: 'Add note' }).click();
    expect((await renewed).status()).toBe(200);
    await page.getByText('Note added.').waitFor();
    await expect(page.getByText('Checked by the crawl.').count()).resolves.toBe(1);
    expect(faults(pageErrors(page))).toEqual([]);
    await page.close();
  }, 30_000);

  it('an access token that no longer verifies is restored from the refresh cookie without signing in again', async () => {
    const context = staff.context();
    const at = (await context.cookies()).find((c) => c.name === 'sf_at');
    expect(at).toBeTruthy();
    // As after fifteen idle minutes: the access cookie is there but its token does not verify.
    await context.addCookies([{ ...(at as NonNullable<typeof at>), value: `${at?.value.slice(0, -8)}AAAAAAAA` }]);
    const page = await context.newPage();
    const renewed = page.waitForResponse((r) => r.url().endsWith('/api/identity/token/refresh'));
    await page.goto('/account');
    expect((await renewed).status()).toBe(200);
    await page.getByRole('heading', { name: 'Your account', level: 1 }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/account');
    await shot(page, T, 'session-restored');
    await page.close();
  }, 30_000);

  it('the manifest, a missing page, a bad link and a forged form answer kindly', async () => {
    const page = await shop.newPage();

    const manifest = await page.request.get('/manifest.webmanifest');
    expect(manifest.status()).toBe(200);
    expect(manifest.headers()['content-type']).toMatch(/^application\/(manifest\+)?json/);
    const m = JSON.parse(await manifest.text()) as { name?: string; start_url?: string; icons?: { src: string }[] };
    expect(m.name).toBeTruthy();
    expect(m.start_url).toBe('/');
    expect(m.icons?.length).toBeGreaterThan(0);
    for (const icon of m.icons ?? []) expect((await page.request.get(icon.src)).status(), icon.src).toBe(200);

    /** A page meant for a person: HTML with one <h1> in a <main>, no JSON, no stack, and links that work. */
    async function friendly(status: number, step: string, heading: RegExp) {
      await shot(page, T, step);
      await expect(page.getByRole('main').count()).resolves.toBe(1);
      await expect(page.getByRole('heading', { level: 1, name: heading }).count()).resolves.toBe(1);
      const text = (await page.locator('body').textContent()) ?? '';
      expect(text).not.toMatch(/^\s*[{[]/);
      expect(text).not.toMatch(/\bat .+:\d+:\d+|node_modules|Error:/);
      await expectNoSeriousViolations(page, `crawl-${step}`);
      for (const href of await mainLinks(page)) {
        // On this site (a path, never `//host`), and there.
        expect(href, step).toMatch(/^\/(?![/\\])/);
        expect((await page.request.get(href)).status(), `${step}: ${href}`).toBeLessThan(400);
      }
      expect(faults(pageErrors(page)), step).toEqual([]);
      return status;
    }

    const missing = await page.goto(`/no-such-page-${randomUUID()}`);
    expect(missing?.status()).toBe(404);
    expect(missing?.headers()['content-type']).toMatch(/^text\/html/);
    await friendly(404, 'not-found', /can.t find/i);

    const bad = await page.goto('/search?sort=sideways');
    expect(bad?.status()).toBe(400);
    await friendly(400, 'bad-link', /.+/);

    // A real form whose CSRF field was tampered with.
    await page.goto('/account/sign-in');
    await page.getByLabel('Email address').fill('someone@example.com');
    await page.getByLabel('Password', { exact: true }).fill('not-the-password-1');
    await page.evaluate(
      `for (const el of document.querySelectorAll('main form[method="post"] input[name="_csrf"]')) el.value = 'forged-token-forged-token-forged-token'`,
    );
    const [forged] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST' && r.request().resourceType() === 'document'),
      page.getByRole('button', { name: 'Sign in' }).click(),
    ]);
    expect(forged.status()).toBe(403);
    expect(forged.headers()['content-type']).toMatch(/^text\/html/);
    await page.waitForLoadState();
    await friendly(403, 'forged-form', /try that again/i);

    // A form posted from elsewhere, without any CSRF field, and one sent as JSON.
    for (const [what, res] of [
      [
        'no _csrf',
        await page.request.post('/cart/lines', { form: { sku: 'X', quantity: '1' }, failOnStatusCode: false }),
      ],
      [
        'another site',
        await page.request.post(`${origin}//evil.example/x`, { form: { a: '1' }, failOnStatusCode: false }),
      ],
      [
        'json',
        await page.request.post('/account/sign-in', {
          data: { email: 'a@example.com', password: 'x' },
          failOnStatusCode: false,
        }),
      ],
    ] as const) {
      expect(res.status(), what).toBe(403);
      expect(res.headers()['content-type'], what).toMatch(/^text\/html/);
      const html = await res.text();
      expect(html, what).toMatch(/<h1>[^<]+<\/h1>/);
      expect(html, what).not.toMatch(/node_modules|\bat .+:\d+:\d+|"status":/);
      // Every link on it stays on this site.
      for (const [, href] of html.matchAll(/href="([^"]*)"/g)) {
        expect(href, `${what}: ${href}`).toMatch(/^(#|\/(?![/\\]))/);
      }
    }
  }, 60_000);
});
