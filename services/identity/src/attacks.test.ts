import { generateKeyPair, importJWK, type JWK, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHasher, hashParams } from './passwords.ts';
import { type Harness, startIdentity } from './test-harness.ts';

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
const strip = ({ requestId: _r, instance: _i, ...rest }: Record<string, unknown>) => rest;

describe('attacks on identity', () => {
  let h: Harness;
  let kid: string;
  let realKey: Awaited<ReturnType<typeof importJWK>>;
  let victim: Awaited<ReturnType<Harness['customer']>>;
  beforeAll(async () => {
    h = await startIdentity();
    const row = (await h.db.query<{ kid: string; private_jwk: string }>('SELECT kid, private_jwk FROM signing_keys'))
      .rows[0];
    if (!row) throw new Error('no key');
    kid = row.kid;
    realKey = await importJWK(JSON.parse(h.identity.sealer.open(row.private_jwk)) as JWK, 'ES256');
    victim = await h.customer('victim@shop.test');
  });
  afterAll(() => h.close());

  const forge = (o: { key?: typeof realKey; kid?: string; iss?: string; aud?: string; iat?: number; exp?: number }) => {
    const now = Math.floor(h.now() / 1000);
    return new SignJWT({ sid: victim.sessionId, roles: ['admin'], mfa: true, amr: ['pwd', 'otp'] })
      .setProtectedHeader({ alg: 'ES256', kid: o.kid ?? kid, typ: 'at+jwt' })
      .setIssuer(o.iss ?? h.config.JWT_ISSUER)
      .setAudience(o.aud ?? h.config.JWT_AUDIENCE)
      .setSubject(victim.id)
      .setIssuedAt(o.iat ?? now)
      .setExpirationTime(o.exp ?? now + 300)
      .sign(o.key ?? realKey);
  };

  it('accepts a token from the real key (the control), refuses every forgery', async () => {
    expect((await h.call('GET', '/me', { token: await forge({}) })).status).toBe(200);
    const now = Math.floor(h.now() / 1000);
    const none = `${b64({ alg: 'none', typ: 'at+jwt', kid })}.${b64({
      sub: victim.id,
      sid: victim.sessionId,
      roles: ['admin'],
      mfa: true,
      iss: h.config.JWT_ISSUER,
      aud: h.config.JWT_AUDIENCE,
      iat: now,
      exp: now + 60,
    })}.`;
    const other = (await generateKeyPair('ES256')).privateKey;
    const forgeries = {
      'alg none': none,
      'wrong key': await forge({ key: other }),
      'unknown kid': await forge({ kid: 'not-a-key' }),
      expired: await forge({ iat: now - 1200, exp: now - 300 }),
      'wrong audience': await forge({ aud: 'another-app' }),
      'wrong issuer': await forge({ iss: 'https://evil.test' }),
    };
    for (const [name, token] of Object.entries(forgeries)) {
      const r = await h.call('GET', '/audit', { token });
      expect(r.status, name).toBe(401);
    }
  });

  it('a customer reading or ending another customer’s session gets 404', async () => {
    const other = await h.customer('other@shop.test');
    expect((await h.call('GET', `/sessions/${victim.sessionId}`, { token: other.accessToken })).status).toBe(404);
    expect((await h.call('DELETE', `/sessions/${victim.sessionId}`, { token: other.accessToken })).status).toBe(404);
    expect((await h.call('GET', `/sessions/${victim.sessionId}`, { token: victim.accessToken })).status).toBe(200);
  });

  it('a customer calling staff routes gets 403', async () => {
    for (const [method, path, body] of [
      ['POST', '/staff', { email: 'x@shop.test', roles: ['admin'] }],
      ['GET', '/audit', undefined],
      ['POST', '/keys/rotate', undefined],
      ['PUT', `/accounts/${victim.id}/roles`, { roles: ['admin'] }],
    ] as const) {
      expect((await h.call(method, path, { token: victim.accessToken, body })).status, path).toBe(403);
    }
  });

  it('reuse of a rotated refresh token revokes the whole family and is audited', async () => {
    const c = await h.customer('reuse@shop.test');
    const r2 = await h.call('POST', '/token/refresh', { body: { refreshToken: c.refreshToken } });
    expect(r2.status).toBe(200);
    // The thief replays the old token …
    expect((await h.call('POST', '/token/refresh', { body: { refreshToken: c.refreshToken } })).status).toBe(401);
    // … and the legitimate holder's newer token is dead too, as is the session.
    expect((await h.call('POST', '/token/refresh', { body: { refreshToken: r2.body.refreshToken } })).status).toBe(401);
    expect((await h.call('GET', '/me', { token: r2.body.accessToken })).status).toBe(401);
    const audit = await h.db.query(`SELECT actor_id, target_id FROM audit_log WHERE action = 'token.reuse'`);
    expect(audit.rows).toContainEqual({ actor_id: c.id, target_id: c.sessionId });
  });

  it('brute force: slowed then locked, identically for known and unknown emails', async () => {
    const known = await h.customer('target@shop.test');
    const run = async (email: string, ip: string) => {
      const out: { status: number; body: Record<string, unknown> }[] = [];
      for (let i = 0; i < 7; i++) {
        const r = await h.call('POST', '/login', { body: { email, password: `guess number ${i}` }, ip });
        out.push({ status: r.status, body: strip(r.body) });
      }
      return out;
    };
    const a = await run(known.email, '198.51.100.1');
    const b = await run('ghost@shop.test', '198.51.100.2');
    expect(a.map((x) => x.status)).toEqual([401, 401, 401, 401, 401, 429, 429]);
    expect(b).toEqual(a);
    expect(a[5]?.body).toMatchObject({ code: 'rate_limited', retryAfter: 30 });
    // Locked means locked: even the right password waits.
    const right = await h.call('POST', '/login', { body: { email: known.email, password: known.password } });
    expect(right.status).toBe(429);
    const lockouts = await h.db.query(`SELECT target_type FROM audit_log WHERE action = 'login.lockout'`);
    expect(lockouts.rows.map((r) => r.target_type).sort()).toEqual(['account', 'email']);
  });

  it('rehashes a password stored with older argon2 parameters at the next sign-in', async () => {
    const c = await h.customer('legacy@shop.test');
    const old = createHasher(
      { memoryKib: 128, timeCost: 1, parallelism: 1 },
      { concurrency: 1, queue: 1, timeoutMs: 1000 },
    );
    await h.db.query('UPDATE accounts SET password_hash = $2 WHERE id = $1', [c.id, await old.hash(c.password)]);
    expect((await h.call('POST', '/login', { body: { email: c.email, password: c.password } })).status).toBe(200);
    const stored = (await h.db.query('SELECT password_hash FROM accounts WHERE id = $1', [c.id])).rows[0]
      ?.password_hash;
    expect(hashParams(stored)).toEqual({ memoryKib: 64, timeCost: 1, parallelism: 1 });
  });
});

describe('limits in front of hashing', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startIdentity({
      LOGIN_IP_LIMIT_PER_MINUTE: '5',
      HASH_CONCURRENCY: '1',
      HASH_QUEUE: '1',
      // Slow enough (~100 ms a hash) that eight simultaneous sign-ins overlap on any machine;
      // with cheap hashes a quiet machine finishes each before the next arrives.
      ARGON2_MEMORY_KIB: '65536',
      ARGON2_TIME_COST: '3',
    });
  });
  afterAll(() => h.close());

  it('sheds concurrent sign-ins beyond the hashing cap with a quick 503', async () => {
    const attempts = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        h.call('POST', '/login', {
          body: { email: `n${i}@shop.test`, password: 'whatever it is' },
          ip: `192.0.2.${i}`,
        }),
      ),
    );
    const statuses = attempts.map((r) => r.status);
    expect(statuses.filter((s) => s === 503).length).toBeGreaterThan(0);
    expect(statuses.every((s) => s === 401 || s === 503)).toBe(true);
  });

  it('limits attempts per client address', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) {
      const r = await h.call('POST', '/login', {
        body: { email: `ip${i}@shop.test`, password: 'whatever it is' },
        ip: '192.0.2.99',
      });
      statuses.push(r.status);
    }
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses.slice(5)).toEqual([429, 429]);
  });
});
