import { testAuth } from '@storefront/kit/testing';
import { createApp } from '../app.tsx';
import { webConfig } from '../config.ts';
import { type Call, type FakeState, fakeState, json, problem } from './ops-test-kit-fake.ts';
import { identityAnswer } from './ops-test-kit-identity.ts';
import { inventoryAnswer } from './ops-test-kit-inventory.ts';
import { ordersAnswer } from './ops-test-kit-orders.ts';

/**
 * The web app in front of a small, stateful fake of the API calls the operations pages make
 * (inventory, orders, payments, fulfillment, identity). The real services are exercised by the
 * browser test (tests/e2e/browser/admin-ops.test.ts); this fake keeps the page tests fast and lets
 * them force every refusal.
 */

export {
  type Call,
  CUSTOMER_ID,
  type FakeState,
  json,
  LOCATIONS,
  ORDER_ID,
  order,
  problem,
  RETURN_ID,
  STAFF_ID,
} from './ops-test-kit-fake.ts';

const PARTS = [inventoryAnswer, ordersAnswer, identityAnswer];

/** The fake API: what the operations pages call, with the services' rules where the pages depend on them. */
function answer(s: FakeState, call: Call): Response {
  const key = `${call.method} ${call.path}`;
  const forced = s.override.get(key);
  if (forced) return forced();
  if (key === 'GET /api/catalog/categories') return json(200, { items: [] });
  for (const part of PARTS) {
    const r = part(s, call, key);
    if (r) return r;
  }
  return problem(404, 'not_found', `nothing at ${key}`);
}

export const CSRF = 'k'.repeat(40);

/** The app with the fake API; `as(roles)` gives the request headers of a staff member signed in with MFA. */
export async function opsApp() {
  const auth = await testAuth();
  const calls: Call[] = [];
  const state = fakeState();
  const config = webConfig.parse({
    UPSTREAM_GATEWAY_URL: 'http://gateway.test',
    JWT_ISSUER: auth.issuer,
    JWT_AUDIENCE: auth.audience,
    COOKIE_SECURE: 'false',
    LOG_LEVEL: 'silent',
  });
  const fakeFetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const text = typeof init?.body === 'string' ? init.body : undefined;
    const call: Call = {
      method: (init?.method ?? 'GET').toUpperCase(),
      path: url.pathname,
      query: url.searchParams,
      headers: new Headers(init?.headers),
      body: text ? JSON.parse(text) : undefined,
    };
    calls.push(call);
    return answer(state, call);
  };
  const app = createApp({ config, verifier: auth.verifier, fetch: fakeFetch as typeof fetch });

  const cookieOf = async (roles: string[], mfa = true) =>
    `sf_at=${roles.includes('customer') ? await auth.customerToken() : await auth.staffToken(roles, { mfa })}; sf_gcsrf=${CSRF}`;

  return {
    app,
    calls,
    state,
    /** GET as a staff member with these roles (admin by default). */
    async get(path: string, roles: string[] = ['admin'], mfa = true) {
      return app.request(path, { headers: { cookie: await cookieOf(roles, mfa) } });
    },
    /** POST a form with the CSRF field (unless `csrf: null`). */
    async post(
      path: string,
      fields: Record<string, string | string[]>,
      roles: string[] = ['admin'],
      csrf: string | null = CSRF,
    ) {
      const body = new URLSearchParams();
      if (csrf !== null) body.append('_csrf', csrf);
      for (const [k, v] of Object.entries(fields)) {
        for (const item of Array.isArray(v) ? v : [v]) body.append(k, item);
      }
      return app.request(path, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: await cookieOf(roles) },
        body: body.toString(),
      });
    },
    callsTo: (method: string, path: string) => calls.filter((c) => c.method === method && c.path === path),
  };
}

/** The visible text of a page (tags dropped, entities decoded, whitespace collapsed). */
export function text(html: string): string {
  return html
    .replace(/<script[\s\S]*?<\/script>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&#x27;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
}

/** A hidden field's value in a page. */
export const hidden = (html: string, name: string): string | undefined =>
  html.match(new RegExp(`name="${name}" value="([^"]*)"`))?.[1];
