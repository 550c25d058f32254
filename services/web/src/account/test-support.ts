import { testAuth } from '@storefront/kit/testing';
import { createApp } from '../app.tsx';
import { webConfig } from '../config.ts';

/** One recorded call to the fake gateway. */
export interface GatewayCall {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: Headers;
  readonly body: unknown;
}

export type Handler = (call: GatewayCall) => Response | Promise<Response>;

export const json = (status: number, body: unknown, headers: Record<string, string> = {}): Response =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': status >= 400 ? 'application/problem+json' : 'application/json', ...headers },
  });

export const problem = (status: number, detail: string, extra: Record<string, unknown> = {}): Response =>
  json(status, { type: 'about:blank', title: 'Problem', status, detail, ...extra });

/**
 * The web app against a fake gateway: `routes` answer by "METHOD /path" (exact, or a RegExp over
 * the same string); anything unanswered is a 404 problem, and every call is recorded.
 */
export async function accountApp(routes: [string | RegExp, Handler][] = []) {
  const auth = await testAuth();
  const calls: GatewayCall[] = [];
  const config = webConfig.parse({
    UPSTREAM_GATEWAY_URL: 'http://gateway.test',
    JWT_ISSUER: auth.issuer,
    JWT_AUDIENCE: auth.audience,
    COOKIE_SECURE: 'false',
    LOG_LEVEL: 'silent',
  });
  const fakeFetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const method = (init?.method ?? 'GET').toUpperCase();
    const text = typeof init?.body === 'string' ? init.body : undefined;
    const call: GatewayCall = {
      method,
      path: url.pathname,
      query: url.searchParams,
      headers: new Headers(init?.headers),
      body: text ? JSON.parse(text) : undefined,
    };
    calls.push(call);
    const key = `${method} ${url.pathname}`;
    if (url.pathname === '/api/catalog/categories') return json(200, { items: [] });
    for (const [match, handler] of routes) {
      if (typeof match === 'string' ? match === key : match.test(key)) return handler(call);
    }
    return problem(404, `nothing at ${key}`);
  };
  const app = createApp({ config, verifier: auth.verifier, fetch: fakeFetch as typeof fetch });
  return { app, calls, auth };
}

/** Cookies from a response's Set-Cookie headers, as name → value. */
export function setCookies(res: Response): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of res.headers.getSetCookie()) {
    const [pair] = line.split(';');
    const i = pair?.indexOf('=') ?? -1;
    if (pair && i > 0) out.set(pair.slice(0, i), pair.slice(i + 1));
  }
  return out;
}

/** A guest's form session: GET a page for its CSRF cookie and field, then POST forms with them. */
export async function guestForm(app: Awaited<ReturnType<typeof accountApp>>['app'], page = '/account/sign-in') {
  const res = await app.request(page);
  const html = await res.text();
  const csrf = html.match(/name="_csrf" value="([^"]+)"/)?.[1] ?? '';
  const cookie = `sf_gcsrf=${setCookies(res).get('sf_gcsrf') ?? ''}`;
  return {
    csrf,
    cookie,
    post: (path: string, fields: Record<string, string>, extraCookie = '') =>
      app.request(path, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          cookie: extraCookie ? `${cookie}; ${extraCookie}` : cookie,
        },
        body: new URLSearchParams({ _csrf: csrf, ...fields }).toString(),
      }),
  };
}

/** A signed-in customer's request headers (access cookie + a guest CSRF cookie for forms). */
export async function customerSession(auth: Awaited<ReturnType<typeof testAuth>>, subject = 'acct-1') {
  const token = await auth.customerToken(subject);
  const csrf = 'c'.repeat(32);
  return {
    csrf,
    cookie: `sf_at=${token}; sf_gcsrf=${csrf}`,
  };
}

/** The visible text of a page (tags dropped, whitespace collapsed), for readable assertions. */
export function text(html: string): string {
  return html
    .replace(/<script[\s\S]*?<\/script>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&#39;|&#x27;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/\s+/g, ' ');
}
