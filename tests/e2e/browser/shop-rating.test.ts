import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoSeriousViolations, pageErrors, type Shop, shot, startShop } from './harness.ts';

/**
 * The customer-rating filter and the "Top rated" sort in real Chromium, through the gateway, over
 * the seeded catalog (about half its products reviewed): the radios are found by their spoken
 * labels, shop.js applies one on change, and the cards shown agree with what was asked.
 */
describe('shop rating filter and sort in a browser', () => {
  let shop: Shop;

  beforeAll(async () => {
    shop = await startShop({ seedProducts: 60 });
  }, 240_000);
  afterAll(async () => {
    await shop?.stop();
  }, 60_000);

  /** The average each card's stars announce ("Rated 4.3 out of 5 from 3 reviews"); null: none. */
  const cardRatings = async (page: Page) =>
    page.locator('.product-card').evaluateAll((cards) =>
      cards.map((c) => {
        const label = c.querySelector('.stars[role="img"]')?.getAttribute('aria-label') ?? '';
        const m = /Rated ([\d.]+) out of 5/.exec(label);
        return m ? Number(m[1]) : null;
      }),
    );

  it('filters to 4★ & up by its label, sorts by Top rated, and pages on in order', async () => {
    const page = await shop.newPage();
    await page.goto('/c/electronics');
    const group = page.getByRole('group', { name: 'Customer rating' });
    await expect(group.getByRole('radio', { name: 'Any rating' }).isChecked()).resolves.toBe(true);
    const four = group.getByRole('radio', { name: /^4 stars & up \(\d+\)$/ });
    await expect(four.count()).resolves.toBe(1);
    const offered = Number(/\((\d+)\)/.exec((await four.evaluate((i) => i.parentElement?.textContent)) ?? '')?.[1]);
    expect(offered).toBeGreaterThan(0);

    await four.check();
    await page.waitForURL(/minRating=4/);
    await expect(page.getByRole('link', { name: 'Rating: 4 stars & up (remove)' }).count()).resolves.toBe(1);
    await expect(page.getByRole('status').first().textContent()).resolves.toMatch(new RegExp(`^${offered} products?`));
    for (const r of await cardRatings(page)) expect(r).toBeGreaterThanOrEqual(4);
    await expectNoSeriousViolations(page, 'shop-rating-filter');
    await shot(page, 'shop-rating', 'four-and-up');

    await page.getByLabel('Sort by').selectOption('rating');
    await page.waitForURL(/sort=rating/);
    expect(page.url()).toMatch(/minRating=4/);
    await expect(page.getByLabel('Sort by').inputValue()).resolves.toBe('rating');
    const seen = await cardRatings(page);
    const next = page.getByRole('link', { name: 'More results →' });
    if ((await next.count()) > 0) {
      await next.click();
      await page.waitForURL(/cursor=/);
      seen.push(...(await cardRatings(page)));
    }
    const averages = seen.map((r) => r ?? 0);
    expect(averages).toEqual([...averages].sort((a, b) => b - a));

    // Removing the chip drops the filter and keeps the sort.
    await page.getByRole('link', { name: 'Rating: 4 stars & up (remove)' }).click();
    await page.waitForURL((url) => !url.search.includes('minRating') && url.search.includes('sort=rating'));
    expect(pageErrors(page).filter((e) => !/status of 4\d\d/.test(e))).toEqual([]);
  });
});
