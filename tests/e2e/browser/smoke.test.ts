import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { presentServices } from '../../../bin/platform.ts';
import { expectNoSeriousViolations, pageErrors, type Shop, shot, startShop } from './harness.ts';

// The launcher starts web when its folder exists; until then the gateway answers `/` itself.
const webPresent = presentServices().some((s) => s.name === 'web');

/** The shop opens in real headless Chromium through the gateway, as a person would after `npm start`. */
describe('the shop in a browser', () => {
  let shop: Shop;

  beforeAll(async () => {
    shop = await startShop({ seedProducts: 50 });
  }, 180_000);
  afterAll(async () => {
    await shop?.stop();
  }, 60_000);

  it('starts every service, web included when it exists', () => {
    expect(shop.platform.failed).toEqual([]);
  });

  it('shows / with a title and no console, CSP or page errors, and passes the accessibility check', async () => {
    const page = await shop.newPage();
    const res = await page.goto('/');
    expect(res?.status()).toBe(200);
    expect(res?.headers()['content-type']).toMatch(/^text\/html/);
    expect(res?.headers()['content-security-policy']).toMatch(/script-src 'self' 'nonce-/);
    await page.waitForLoadState('load');
    await shot(page, 'smoke', 'home');
    expect((await page.title()).trim()).not.toBe('');
    // The gateway's stand-in page has no landmarks; the shop's pages must.
    if (webPresent) await expect(page.getByRole('main').count()).resolves.toBe(1);
    // Without web nothing serves /favicon.ico, and Chromium reports the browser's own request for it.
    const errors = pageErrors(page).filter((e) => webPresent || !e.includes('/favicon.ico'));
    expect(errors).toEqual([]);
    await expectNoSeriousViolations(page, 'smoke-home');
  });

  it.runIf(webPresent)('answers an unknown path with a friendly HTML 404 page', async () => {
    const page = await shop.newPage();
    const res = await page.goto('/no-such-page-here');
    expect(res?.status()).toBe(404);
    expect(res?.headers()['content-type']).toMatch(/^text\/html/);
    await shot(page, 'smoke', 'not-found');
    expect((await page.title()).trim()).not.toBe('');
    await expect(page.getByRole('main').count()).resolves.toBe(1);
    const text = (await page.locator('body').textContent()) ?? '';
    expect(text).not.toMatch(/^\s*[{[]/); // not a JSON body
    expect(text).not.toMatch(/\bat .+:\d+:\d+/); // not a stack trace
    // Chromium reports the document's own 404 as a console error; anything else is a fault.
    expect(pageErrors(page).filter((e) => !/status of 404/.test(e))).toEqual([]);
    await expectNoSeriousViolations(page, 'smoke-not-found');
  });
});
