import type { BrowserContext, Cookie, Page } from 'playwright-core';
import { expect } from 'vitest';
import { expectNoSeriousViolations, pageErrors } from './harness.ts';

/**
 * The crawler behind crawl.test.ts: breadth-first over same-origin links with the checks every
 * page must pass, polite retries of 429/503, and the phone-width measurement.
 */

export const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true } as const;

/** Chromium reports a document's own 4xx status as a console error; the status is checked on its own. */
export const faults = (list: readonly string[]) =>
  list.filter((e) => !/the server responded with a status of 4\d\d/.test(e));

/** Never followed: the API, static files, and anything that ends a session. */
const SKIP = /^\/(api|assets)\/|sign-?out|log-?out/i;

/**
 * One route pattern per kind of page (ids, slugs, SKUs and location codes folded), so the crawl
 * visits a couple of each and axe runs once per pattern.
 */
function routePattern(path: string): string {
  return path
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, ':id')
    .replace(/^\/(p|c)\/[^/]+/, '/$1/:slug')
    .replace(/^\/admin\/inventory\/sku\/[^/]+/, '/admin/inventory/sku/:sku')
    .replace(/^\/admin\/inventory\/locations\/(?!new$)[^/]+/, '/admin/inventory/locations/:code');
}

/** The pattern plus the names of the query parameters: `/search?brand` and `/search?q` are different pages. */
function visitKey(url: URL): string {
  const keys = [...new Set(url.searchParams.keys())].sort().join('&');
  return `${routePattern(url.pathname)}${keys ? `?${keys}` : ''}`;
}

/** Answers of 429 or 503 that were asked again (printed at the end, for the record). */
export const retried: string[] = [];

/**
 * The gateway limits each shopper's API calls (a token bucket), and one page makes several: a
 * crawler faster than a person meets the "Please slow down" page (429, with Retry-After) and
 * waits as asked, a few times at most. A 503 (a service's breaker open for a few seconds on a
 * loaded machine) is asked again the same way; one that stays is still a failure.
 */
export async function politely<R extends { status(): number; headers(): Record<string, string>; url(): string }>(
  load: () => Promise<R | null>,
): Promise<R | null> {
  for (let attempt = 0; ; attempt++) {
    const res = await load();
    if (!res) return null;
    if ((res.status() !== 429 && res.status() !== 503) || attempt >= 5) return res;
    retried.push(`${res.status()} ${new URL(res.url()).pathname}`);
    const after = Number(res.headers()['retry-after']);
    await new Promise((r) => setTimeout(r, Math.min(Number.isFinite(after) && after > 0 ? after : 1, 5) * 1000));
  }
}

interface PageFacts {
  title: string;
  lang: string;
  duplicateIds: string[];
  h1: number;
  main: number;
  imagesWithoutAlt: string[];
  unlabelled: string[];
  scriptLinks: string[];
  links: string[];
}

/**
 * What every page must have, read in the page (a script string: this project's TypeScript has no
 * DOM types, and the page's CSP does not apply to DevTools evaluation).
 */
const READ_PAGE = `(() => {
  const describe = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.getAttribute('name') ? '[name=' + el.getAttribute('name') + ']' : '');
  const controls = [...document.querySelectorAll('input, select, textarea')].filter(
    (el) => !['hidden', 'submit', 'button', 'reset', 'image'].includes((el.getAttribute('type') || '').toLowerCase()),
  );
  const ids = [...document.querySelectorAll('[id]')].map((el) => el.id);
  return {
    title: document.title.trim(),
    lang: document.documentElement.lang,
    duplicateIds: [...new Set(ids.filter((id, i) => ids.indexOf(id) !== i))],
    h1: document.querySelectorAll('h1').length,
    main: document.querySelectorAll('main').length,
    imagesWithoutAlt: [...document.querySelectorAll('img:not([alt])')].map((i) => i.outerHTML.slice(0, 120)),
    unlabelled: controls
      .filter((el) => (el.labels ? el.labels.length : 0) === 0 && !(el.getAttribute('aria-label') || '').trim()
        && !el.getAttribute('aria-labelledby') && !el.getAttribute('title'))
      .map(describe),
    scriptLinks: [...document.querySelectorAll('a[href]')]
      .filter((a) => /^\\s*javascript:/i.test(a.getAttribute('href')))
      .map((a) => a.outerHTML.slice(0, 120)),
    links: [...document.querySelectorAll('a[href]')].map((a) => a.href),
  };
})()`;

function readPage(page: Page): Promise<PageFacts> {
  return page.evaluate<PageFacts>(READ_PAGE);
}

export interface CrawlResult {
  readonly visited: string[];
  readonly patterns: Map<string, string>;
  readonly problems: string[];
}

/**
 * Breadth-first over same-origin links from `starts`, at most `limit` pages rendered in Chromium
 * (a few per visit key) by `workers` tabs of one context; every link found but not rendered is
 * still fetched (with the context's cookies) so a broken one shows. Axe runs on the first page of
 * each route pattern.
 */
export async function crawl(
  context: BrowserContext,
  origin: string,
  starts: string[],
  opts: { limit: number; perKey: number; workers: number; label: string; secrets: string[]; signedIn: boolean },
): Promise<CrawlResult> {
  const problems: string[] = [];
  const seen = new Set<string>();
  const from = new Map<string, string>();
  const queue: string[] = [];
  const perKey = new Map<string, number>();
  const patterns = new Map<string, string>();
  const skipped: string[] = [];
  const visited: string[] = [];
  const add = (path: string, parent?: string) => {
    if (seen.has(path)) return;
    seen.add(path);
    if (parent) from.set(path, parent);
    queue.push(path);
  };
  for (const s of starts) add(s);

  async function visit(page: Page, path: string): Promise<void> {
    const where = `${path}${from.has(path) ? ` (linked from ${from.get(path)})` : ''}`;
    // Console errors from the last attempt only (an earlier 429/503 answer is not this page's fault).
    let before = 0;
    const res = await politely(() => {
      before = pageErrors(page).length;
      return page.goto(path, { waitUntil: 'load' }).catch((err: Error) => {
        problems.push(`${where}: navigation failed: ${err.message.split('\n')[0]}`);
        return null;
      });
    });
    if (!res) return;
    visited.push(path);
    const status = res.status();
    const finalUrl = new URL(page.url());
    if (status >= 400) problems.push(`${where}: status ${status}`);
    const type = res.headers()['content-type'] ?? '';
    if (!type.startsWith('text/html')) {
      problems.push(`${where}: content-type ${type}`);
      return;
    }
    const facts = await readPage(page);
    if (!facts.title) problems.push(`${where}: no <title>`);
    if (!facts.lang) problems.push(`${where}: no <html lang>`);
    for (const id of facts.duplicateIds) problems.push(`${where}: id="${id}" used more than once`);
    // Signed-in pages never go into a cache; a guest's are at most the browser's own.
    const cache = res.headers()['cache-control'] ?? '';
    if (opts.signedIn ? !/no-store/.test(cache) : /public/.test(cache)) {
      problems.push(`${where}: cache-control "${cache}"`);
    }
    if (facts.h1 !== 1) problems.push(`${where}: ${facts.h1} <h1> elements`);
    if (facts.main !== 1) problems.push(`${where}: ${facts.main} <main> elements`);
    for (const img of facts.imagesWithoutAlt) problems.push(`${where}: <img> without alt: ${img}`);
    for (const input of facts.unlabelled) problems.push(`${where}: form control without a label: ${input}`);
    for (const a of facts.scriptLinks) problems.push(`${where}: javascript: link ${a}`);
    const html = await page.content();
    for (const secret of opts.secrets) if (html.includes(secret)) problems.push(`${where}: the page contains a secret`);
    if (/node_modules|\bat [\w.<>]+ \(.*:\d+:\d+\)/.test(html)) problems.push(`${where}: looks like a stack trace`);
    for (const e of faults(pageErrors(page).slice(before))) problems.push(`${where}: ${e}`);
    const pattern = routePattern(finalUrl.pathname);
    if (finalUrl.origin === origin && !patterns.has(pattern)) {
      patterns.set(pattern, finalUrl.pathname + finalUrl.search);
      await expectNoSeriousViolations(page, `${opts.label}${pattern}`).catch((err: Error) =>
        problems.push(err.message),
      );
    }
    for (const href of facts.links) {
      const u = new URL(href);
      if (u.origin !== origin || !/^https?:$/.test(u.protocol)) continue;
      u.hash = '';
      const next = u.pathname + u.search;
      if (!SKIP.test(u.pathname)) add(next, finalUrl.pathname + finalUrl.search);
    }
  }

  async function worker(page: Page): Promise<void> {
    for (;;) {
      const path = queue.shift();
      if (path === undefined) {
        // Another tab may still add links; wait for it unless everyone is idle.
        if (busy === 0) return;
        await new Promise((r) => setTimeout(r, 50));
        continue;
      }
      const key = visitKey(new URL(path, origin));
      const n = (perKey.get(key) ?? 0) + 1;
      perKey.set(key, n);
      if (n > opts.perKey || visited.length + busy >= opts.limit) {
        skipped.push(path);
        continue;
      }
      busy++;
      try {
        await visit(page, path);
      } finally {
        busy--;
      }
    }
  }
  let busy = 0;
  const pages = await Promise.all(Array.from({ length: opts.workers }, () => context.newPage()));
  await Promise.all(pages.map(worker));
  await Promise.all(pages.map((p) => p.close()));

  // Links not rendered: still no broken ones (and no 5xx) behind them.
  const unchecked = skipped.slice(0, 400);
  for (let i = 0; i < unchecked.length; i += 4) {
    await Promise.all(
      unchecked.slice(i, i + 4).map(async (path) => {
        const res = await politely(() => context.request.get(path, { failOnStatusCode: false })).catch(() => null);
        const status = res?.status() ?? 0;
        if (status === 0 || status >= 400) problems.push(`${path} (linked from ${from.get(path)}): status ${status}`);
      }),
    );
  }
  return { visited, patterns, problems };
}

/**
 * Null when the page fits a 390 px wide phone; otherwise how wide it is and the outermost elements
 * that stick out. Measured against the phone's width, not innerWidth: a mobile browser widens its
 * layout viewport (zooms out) to fit content that is too wide, so innerWidth grows with the fault.
 */
const OVERFLOW = `(() => {
  const width = ${PHONE.viewport.width};
  const scroll = Math.max(document.scrollingElement ? document.scrollingElement.scrollWidth : 0, window.innerWidth);
  if (scroll <= width + 1) return null;
  const out = (el) => el.getBoundingClientRect().right > width + 1;
  const wide = [...document.querySelectorAll('body *')]
    .filter((el) => out(el) && ![...el.children].some(out))
    .slice(0, 5)
    .map((el) => el.tagName.toLowerCase() + (el.className ? '.' + String(el.className).trim().replace(/\\s+/g, '.') : '') + ' "' + (el.textContent || '').trim().slice(0, 40) + '"');
  return scroll + 'px wide on a ' + width + 'px phone (' + wide.join(', ') + ')';
})()`;

/**
 * Pages known to be too wide on a phone, reported to their area (see the quality-pass report);
 * listed so the rest stays guarded. The test fails when one of them fits: take it off the list.
 */
export const KNOWN_TOO_WIDE: Record<string, string> = {};

/** The problems that are not known (those are printed), and the known pages seen too wide. */
export function sortTooWide(problems: readonly string[]): { fresh: string[]; known: Set<string> } {
  const known = new Set<string>();
  const fresh: string[] = [];
  for (const p of problems) {
    const page = Object.keys(KNOWN_TOO_WIDE).find((k) => p.startsWith(`${k}: `));
    if (page === undefined) fresh.push(p);
    else {
      known.add(page);
      console.warn(`known, reported: ${p}`);
    }
  }
  return { fresh, known };
}

/** What sticks out of a 390 px phone on the page as it is (see OVERFLOW), or null when it fits. */
export function tooWide(page: Page): Promise<string | null> {
  return page.evaluate<string | null>(OVERFLOW);
}

/** Opens `path` (waiting out a 429/503 as asked); the answer must not be an error. */
export async function openOk(page: Page, path: string): Promise<void> {
  const res = await politely(() => page.goto(path));
  expect(res?.status(), path).toBeLessThan(400);
}

/** The href attributes of the links in the page's main area, as written. */
export function mainLinks(page: Page): Promise<string[]> {
  return page.locator('main a[href]').evaluateAll((as) => as.map((a) => String(a.getAttribute('href'))));
}

/** Every cookie but the `readable` ones is out of reach of script (HttpOnly) and of other sites (SameSite). */
export function expectPrivateCookies(cookies: readonly Cookie[], readable: readonly string[]): void {
  for (const cookie of cookies) {
    if (readable.includes(cookie.name)) continue;
    expect(cookie.httpOnly, cookie.name).toBe(true);
    expect(['Lax', 'Strict'], cookie.name).toContain(cookie.sameSite);
  }
}

/** A published product with a USD price and units to spare, found through the gateway's public API: its slug and SKU. */
export async function stockedProduct(gatewayUrl: string): Promise<{ slug: string; sku: string }> {
  // biome-ignore lint/suspicious/noExplicitAny: probing JSON answers.
  const api = async (path: string): Promise<any> => {
    const res = await fetch(`${gatewayUrl}${path}`);
    expect(res.status, path).toBe(200);
    return res.json();
  };
  const list = await api('/api/catalog/products?limit=20&sort=newest');
  for (const { slug } of list.items as { slug: string }[]) {
    const p = await api(`/api/catalog/products/${slug}`);
    const skus = (p.variants as { sku: string; prices: { currency: string }[] }[])
      .filter((v) => v.prices.some((x) => x.currency === 'USD'))
      .map((v) => v.sku);
    if (skus.length === 0) continue;
    const avail = await api(`/api/inventory/availability?${skus.map((x) => `sku=${encodeURIComponent(x)}`).join('&')}`);
    const ok = (avail.items as { sku: string; available: number }[]).find((a) => a.available >= 3);
    if (ok) return { slug, sku: ok.sku };
  }
  throw new Error('no product in stock');
}
