import { testAuth } from '@storefront/kit/testing';
import { describe, expect, it } from 'vitest';
import { createApp } from './app.tsx';
import { webConfig } from './config.ts';
import { sitePath } from './errors.tsx';

const problem = (status: number, extra: Record<string, unknown> = {}) =>
  new Response(JSON.stringify({ type: 'about:blank', title: 'Problem', status, ...extra }), {
    status,
    headers: { 'content-type': 'application/problem+json' },
  });

/** The app against a gateway that answers `answer` for every call but the category menu. */
async function app(
  answer: (path: string) => Response = () => problem(404),
  auth?: Awaited<ReturnType<typeof testAuth>>,
) {
  auth ??= await testAuth();
  const config = webConfig.parse({
    UPSTREAM_GATEWAY_URL: 'http://gateway.test',
    JWT_ISSUER: auth.issuer,
    JWT_AUDIENCE: auth.audience,
    COOKIE_SECURE: 'false',
    LOG_LEVEL: 'silent',
  });
  const fake = async (input: string | URL | Request) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    if (url.pathname === '/api/catalog/categories') {
      return new Response(JSON.stringify({ items: [] }), { headers: { 'content-type': 'application/json' } });
    }
    return answer(url.pathname);
  };
  return createApp({ config, verifier: auth.verifier, fetch: fake as typeof fetch });
}

const hrefs = (html: string) => [...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1] as string);
const main = (html: string) => html.match(/<main[^>]*>([\s\S]*)<\/main>/)?.[1] ?? '';

describe('shared pages: error pages, links and headers', () => {
  it('sitePath keeps a link on this site whatever the request path was', () => {
    expect(sitePath('/p/lamp', '?sku=A')).toBe('/p/lamp?sku=A');
    expect(sitePath('//evil.example/x')).toBe('/evil.example/x');
    expect(sitePath('/\\evil.example')).toBe('/evil.example');
    expect(sitePath('/\n/evil.example')).toBe('/evil.example');
    expect(sitePath('/\t\\/evil.example')).toBe('/evil.example');
    expect(sitePath('')).toBe('/');
  });

  it('a forged post to `//other.site` gets the friendly 403 page with no link off the site', async () => {
    const web = await app();
    const res = await web.request('http://web.test//evil.example/x', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'a=1',
    });
    expect(res.status).toBe(403);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await res.text();
    expect(html).toContain('<h1>Please try that again</h1>');
    for (const href of hrefs(html)) expect(href).toMatch(/^(#|\/(?![/\\]))/);
    // No Referer: no "Try again" (the post's address is not a page).
    expect(main(html)).not.toContain('Try again');
  });

  it('a form with a wrong CSRF field offers to go back to the page it came from (its path only)', async () => {
    const web = await app();
    const res = await web.request('/cart/lines', {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        referer: 'https://other.example//p/lamp?sku=A',
      },
      body: '_csrf=forged-forged-forged-forged-forged&sku=A',
    });
    expect(res.status).toBe(403);
    const html = await res.text();
    expect(main(html)).toContain('<a href="/p/lamp?sku=A">Try again</a>');
  });

  it('a bad query names the parameter, not the schema, and "Try again" drops the query', async () => {
    const web = await app();
    const res = await web.request(`/p/lamp?done=${'x'.repeat(60)}`);
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain('That link is not right');
    expect(html).toContain('not one we understand (done)');
    expect(html).not.toMatch(/Too big|Invalid|expected/);
    expect(html).not.toContain('x'.repeat(60));
    expect(main(html)).toContain('<a href="/p/lamp">Try again</a>');
  });

  it('an API that refuses part of a page address says so, and "Try again" drops the query', async () => {
    const auth = await testAuth();
    const web = await app(
      (path) =>
        path === '/api/orders/orders'
          ? problem(400, { code: 'bad_request', detail: 'cursor is not one this service issued' })
          : problem(404),
      auth,
    );
    const cookie = `sf_at=${await auth.customerToken()}`;
    const res = await web.request('/account/orders?cursor=0199d6a0-0000-7000-8000-000000000000', {
      headers: { cookie },
    });
    expect(res.status).toBe(400);
    const html = main(await res.text());
    expect(html).toContain('That link is not right');
    expect(html).toContain('Cursor is not one this service issued. Open the page without it');
    expect(html).toContain('<a href="/account/orders">Try again</a>');
    // A schema's own wording is kept for a query it refuses itself.
    const own = await web.request('/account/orders?cursor=zzz', { headers: { cookie } });
    expect(own.status).toBe(400);
    expect(await own.text()).toContain('That page link is not valid');
  });

  it('a rate-limited API call becomes a "Please slow down" page with Retry-After', async () => {
    const web = await app(() => problem(429, { retryAfter: 7, detail: 'too many read requests' }));
    const res = await web.request('/p/lamp');
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('7');
    expect(await res.text()).toContain('Please slow down');
  });

  it('a signed-in page says how long its access token lasts (app.js renews it before a late post); a guest page does not', async () => {
    const auth = await testAuth();
    const web = await app(() => problem(404), auth);
    const signedIn = await web.request('/no-such-page', { headers: { cookie: `sf_at=${await auth.customerToken()}` } });
    expect(signedIn.headers.get('cache-control')).toBe('no-store');
    const ttl = Number((await signedIn.text()).match(/<meta name="sf-session-ttl" content="(\d+)"/)?.[1]);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(900);
    expect(await (await web.request('/no-such-page')).text()).not.toContain('sf-session-ttl');
  });

  it("a guest's page is private to the browser; an unknown page is a friendly 404", async () => {
    const web = await app();
    const res = await web.request('/no-such-page');
    expect(res.status).toBe(404);
    expect(res.headers.get('cache-control')).toBe('private');
    const html = await res.text();
    expect(html.match(/<h1>/g)).toHaveLength(1);
    expect(html).toContain('<main id="main"');
  });
});
