import type { BenchRequest, Scenario, ScenarioContext } from '../types.ts';

/**
 * What signing in costs at the edge: the same route through the same gateway, anonymous and with a
 * customer's access token. The token is an ES256 JWT the gateway verifies against the (stand-in)
 * identity's JWKS and then keeps until it expires, so after the first request of each token a
 * signed-in request costs a cache lookup, the route policy and a per-account rate-limit key.
 * The response cache is off in both: it serves anonymous catalog reads only, and with it on the
 * comparison would be cache against proxy rather than anonymous against signed in.
 *
 * Not measured here: a request whose token is not cached (an ES256 verification each). Every
 * connection cycles the same request list, so tokens repeat across connections and a list longer
 * than the cache (10 000) would still mostly hit it.
 */
const target = {
  kind: 'spawn',
  entry: new URL('./gateway-auth-target.ts', import.meta.url),
  ready: '/healthz',
  env: {
    CACHE_ENABLED: 'false',
    // Far above the load, so the figures are the limiter's cost and not its refusals.
    RATE_LIMITS: JSON.stringify({ default: { rate: 1_000_000, burst: 1_000_000 } }),
  },
} as const;

const PRODUCTS = 50;

const product = (i: number) => `/api/catalog/products/${(i % PRODUCTS) + 1}`;

/** Tokens from the stand-in identity, through the gateway, checked to be accepted as signed in. */
async function tokens(ctx: ScenarioContext, count: number): Promise<void> {
  const res = await fetch(`${ctx.baseUrl}/api/identity/bench/tokens?count=${count}`);
  if (!res.ok) throw new Error(`tokens: ${res.status}`);
  const { tokens } = (await res.json()) as { tokens: string[] };
  // On a public route a bad token is ignored, which would quietly measure anonymous requests:
  // prove the gateway takes these as signed in on a route that needs it.
  const me = (token?: string) =>
    fetch(`${ctx.baseUrl}/api/identity/me`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  const [anonymous, signedIn] = await Promise.all([me(), me(tokens[0])]);
  if (anonymous.status !== 401 || signedIn.status !== 200) {
    throw new Error(
      `the gateway does not take the bench tokens: /me ${anonymous.status} without, ${signedIn.status} with`,
    );
  }
  ctx.vars.set('tokens', JSON.stringify(tokens));
}

/** Product i with customer i's token: every customer reads, every product is read. */
const signedIn = (ctx: ScenarioContext): BenchRequest[] =>
  (JSON.parse(ctx.vars.get('tokens') ?? '[]') as string[]).map((token, i) => ({
    path: product(i),
    headers: { authorization: `Bearer ${token}` },
  }));

export const gatewayAuthAnonymous: Scenario = {
  name: 'gateway-auth-anonymous',
  description: 'GET /api/catalog/products/:id via the gateway, no token (cache off, rate limit on): the reference',
  target,
  requests: Array.from({ length: PRODUCTS }, (_, i) => ({ path: product(i) })),
  loads: [{ mode: 'max' }, { mode: 'fixed' }],
};

export const gatewayAuthToken: Scenario = {
  name: 'gateway-auth-token',
  description: 'the same with customer access tokens (50 customers; each verified once, then from the cache)',
  target,
  requests: signedIn,
  loads: [{ mode: 'max' }, { mode: 'fixed' }],
  setup: (ctx) => tokens(ctx, PRODUCTS),
  compare: { against: gatewayAuthAnonymous.name, label: 'signed-in request (verified token cached)' },
};
