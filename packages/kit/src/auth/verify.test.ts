import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLocalJWKSet, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ServiceUnavailable, Unauthorized } from '../errors.ts';
import { AUD, ISS, makeKey, sign, type TestKey } from './test-keys.ts';
import { createVerifier, verifyAccessToken } from './verify.ts';

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

describe('verifyAccessToken refuses forged and stale tokens', () => {
  let key: TestKey;
  let other: TestKey;
  let jwks: ReturnType<typeof createLocalJWKSet>;
  beforeAll(async () => {
    key = await makeKey('k1');
    other = await makeKey('k1');
    jwks = createLocalJWKSet({ keys: [key.publicJwk] });
  });
  const opts = () => ({ jwks, issuer: ISS, audience: AUD });
  const refused = async (token: string) => {
    await expect(verifyAccessToken(token, opts())).rejects.toBeInstanceOf(Unauthorized);
  };

  it('accepts a well-formed token and returns its claims', async () => {
    const claims = await verifyAccessToken(await sign(key), opts());
    expect(claims).toMatchObject({ sub: 'acct-1', sid: 'sess-1', roles: ['customer'], mfa: false });
  });

  it('refuses alg: none', async () => {
    const now = Math.floor(Date.now() / 1000);
    const payload = {
      sub: 'acct-1',
      sid: 's',
      roles: ['admin'],
      mfa: true,
      iss: ISS,
      aud: AUD,
      iat: now,
      exp: now + 60,
    };
    await refused(`${b64({ alg: 'none', typ: 'at+jwt', kid: 'k1' })}.${b64(payload)}.`);
  });

  it('refuses HS256 signed with the public key as the secret (algorithm confusion)', async () => {
    const secret = new TextEncoder().encode(JSON.stringify(key.publicJwk));
    const token = await new SignJWT({ sid: 's', roles: ['admin'], mfa: true })
      .setProtectedHeader({ alg: 'HS256', kid: 'k1', typ: 'at+jwt' })
      .setIssuer(ISS)
      .setAudience(AUD)
      .setSubject('acct-1')
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(secret);
    await refused(token);
  });

  it('refuses a token signed by another key under a known kid', async () => refused(await sign(other)));
  it('refuses an unknown kid', async () => refused(await sign(key, { kid: 'nope' })));
  it('refuses an expired token', async () => {
    const now = Math.floor(Date.now() / 1000);
    await refused(await sign(key, { iat: now - 900, exp: now - 120 }));
  });
  it('refuses a wrong audience', async () => refused(await sign(key, { audience: 'someone-else' })));
  it('refuses a wrong issuer', async () => refused(await sign(key, { issuer: 'https://evil.test' })));
  it('refuses a JWT that is not an access token (typ)', async () => refused(await sign(key, { typ: 'JWT' })));
  it('refuses a token that lives longer than 15 minutes', async () => {
    const now = Math.floor(Date.now() / 1000);
    await refused(await sign(key, { iat: now, exp: now + 3600 }));
  });
  it('refuses a tampered payload', async () => {
    const [h, , s] = (await sign(key)).split('.');
    const now = Math.floor(Date.now() / 1000);
    const payload = {
      sub: 'acct-1',
      sid: 's',
      roles: ['admin'],
      mfa: true,
      iss: ISS,
      aud: AUD,
      iat: now,
      exp: now + 60,
    };
    await refused(`${h}.${b64(payload)}.${s}`);
  });
  it('refuses garbage and claims of the wrong shape', async () => {
    await refused('not-a-jwt');
    await refused(await sign(key, { claims: { mfa: 'yes' } }));
  });

  it('does not serve a cached token past its expiry', async () => {
    let now = Date.now();
    const verifier = createVerifier({ ...opts(), clock: () => new Date(now), clockToleranceSec: 0 });
    const token = await sign(key, { exp: Math.floor(now / 1000) + 60 });
    await verifier.verify(token);
    await verifier.verify(token);
    now += 61_000;
    await expect(verifier.verify(token)).rejects.toBeInstanceOf(Unauthorized);
  });
});

describe('remote JWKS', () => {
  let server: Server;
  let url: string;
  let hits = 0;
  let available = true;
  let published: TestKey[] = [];
  let k1: TestKey;
  let k2: TestKey;
  beforeAll(async () => {
    k1 = await makeKey('r1');
    k2 = await makeKey('r2');
    published = [k1];
    server = createServer((_req, res) => {
      hits++;
      if (!available) {
        res.writeHead(503).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ keys: published.map((k) => k.publicJwk) }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('refetches on an unknown kid at most once per cooldown, then picks up a rotated key', async () => {
    const { remoteJwks } = await import('./verify.ts');
    const verifier = createVerifier({ jwks: remoteJwks(url, { cooldownMs: 300 }), issuer: ISS, audience: AUD });
    await verifier.verify(await sign(k1));
    const afterFirst = hits;
    // A flood of unknown kids inside the cooldown costs identity nothing.
    for (let i = 0; i < 5; i++) {
      await expect(verifier.verify(await sign(k1, { kid: `forged-${i}` }))).rejects.toBeInstanceOf(Unauthorized);
    }
    expect(hits - afterFirst).toBeLessThanOrEqual(1);
    published = [k1, k2];
    await new Promise((r) => setTimeout(r, 350));
    expect((await verifier.verify(await sign(k2))).sub).toBe('acct-1');
  });

  it('answers 503 (not 401) when the key set cannot be fetched', async () => {
    available = false;
    const verifier = createVerifier({ jwks: `${url}?cold`, issuer: ISS, audience: AUD });
    await expect(verifier.verify(await sign(k1))).rejects.toBeInstanceOf(ServiceUnavailable);
    available = true;
  });
});
