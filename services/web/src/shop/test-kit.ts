import { appWithGateway, type Call, readCall } from '../test-gateway.ts';
import { answer } from './test-fake-api.ts';
import type { FakeState } from './test-fake-state.ts';
import { CSRF } from './test-fixtures.ts';

/**
 * The web app in front of a small stateful fake of the public API the shop pages call (catalog,
 * inventory, cart, payments' sandbox tokenization, orders). The real services are exercised by
 * the browser test (tests/e2e/browser/shop.test.ts); this fake keeps page tests fast and lets
 * them force every refusal. The fake's answers are in test-fake-api.ts, its state in
 * test-fake-state.ts, its data in test-fixtures.ts.
 */

export { problem } from '../test-gateway.ts';
export { CSRF, checkoutFields, ORDER_ID, PRODUCT, SLUG } from './test-fixtures.ts';
export type { Call, FakeState };

/** The web app against the fake, its recorded calls and state, and browsers that keep cookies. */
export async function shopApp() {
  const calls: Call[] = [];
  const state: FakeState = {
    carts: new Map(),
    orders: [],
    fail: new Map(),
    price: 19999,
    nextCart: 0,
    reopenDelayMs: 0,
  };
  const { app, auth } = await appWithGateway(async (input, init) => {
    const call = readCall(input, init);
    calls.push(call);
    return answer(state, call);
  });

  /** A browser: keeps the cookies the pages set (name=value only). */
  function browser(opts: { customer?: string } = {}) {
    const jar = new Map<string, string>([['sf_gcsrf', CSRF]]);
    const cookie = async () => {
      const parts = [...jar].map(([k, v]) => `${k}=${v}`);
      if (opts.customer) parts.push(`sf_at=${await auth.customerToken(opts.customer)}`);
      return parts.join('; ');
    };
    const keep = (res: Response) => {
      for (const line of res.headers.getSetCookie()) {
        const [pair, ...attrs] = line.split(';');
        const eq = (pair ?? '').indexOf('=');
        const name = (pair ?? '').slice(0, eq).trim();
        const value = (pair ?? '').slice(eq + 1).trim();
        if (attrs.some((a) => /max-age=0\b/i.test(a.trim())) || value === '') jar.delete(name);
        else jar.set(name, value);
      }
      return res;
    };
    return {
      jar,
      async get(path: string, headers: Record<string, string> = {}) {
        return keep(await app.request(path, { headers: { cookie: await cookie(), ...headers } }));
      },
      async post(
        path: string,
        fields: Record<string, string | string[]>,
        opts2: { csrf?: string | null; headers?: Record<string, string> } = {},
      ) {
        const body = new URLSearchParams();
        const csrf = opts2.csrf === undefined ? CSRF : opts2.csrf;
        if (csrf !== null) body.append('_csrf', csrf);
        for (const [k, v] of Object.entries(fields))
          for (const item of Array.isArray(v) ? v : [v]) body.append(k, item);
        return keep(
          await app.request(path, {
            method: 'POST',
            headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: await cookie(), ...opts2.headers },
            body: body.toString(),
          }),
        );
      },
    };
  }

  return {
    app,
    auth,
    calls,
    state,
    browser,
    callsTo: (method: string, path: string) => calls.filter((c) => c.method === method && c.path === path),
  };
}
