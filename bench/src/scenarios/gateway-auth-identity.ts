import { serve } from '@hono/node-server';
import { DEFAULT_AUDIENCE, DEFAULT_ISSUER } from '@storefront/kit';
import { Hono } from 'hono';
// The kit's own signer for test tokens (the same claims identity puts in an access token).
import { makeKey, sign } from '../../../packages/kit/src/auth/test-keys.ts';

/**
 * A stand-in identity for the gateway-auth benchmarks (the real one needs a database and argon2
 * sign-ins to hand out tokens): an ES256 key published as a JWKS, customer access tokens shaped
 * like identity's (typ at+jwt, roles, sid, amr; issuer and audience from the environment, the
 * gateway's defaults), and `/me` for a signed-in route. Prints its port on stdout for the parent.
 */
const key = await makeKey(`bench-${process.pid}`);

/** Identity's own lifetime, 15 minutes: longer than any bench run. */
const LIFETIME_S = 15 * 60;

function customerToken(n: number): Promise<string> {
  return sign(key, {
    issuer: process.env.JWT_ISSUER ?? DEFAULT_ISSUER,
    audience: process.env.JWT_AUDIENCE ?? DEFAULT_AUDIENCE,
    subject: `bench-customer-${n}`,
    exp: Math.floor(Date.now() / 1000) + LIFETIME_S,
    claims: { sid: `bench-session-${n}`, roles: ['customer'], mfa: false, amr: ['pwd'] },
  });
}

const app = new Hono();
app.get('/.well-known/jwks.json', (c) => c.json({ keys: [key.publicJwk] }));
// One token per customer 0..count-1 (different subjects and sessions, so different tokens).
app.get('/bench/tokens', async (c) => {
  const count = Math.min(Math.max(Number(c.req.query('count') ?? 1) || 1, 1), 50_000);
  const tokens: string[] = [];
  for (let i = 0; i < count; i++) tokens.push(await customerToken(i));
  return c.json({ tokens });
});
app.get('/me', (c) => c.json({ ok: true }));

const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => {
  process.stdout.write(`${info.port}\n`);
});
process.once('SIGTERM', () => server.close(() => process.exit(0)));
process.once('disconnect', () => process.exit(0));
