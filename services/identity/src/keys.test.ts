import { authenticate, callerOf, createRouter, type Running, remoteJwks, serve } from '@storefront/kit';
import { jsonOf, silentLog } from '@storefront/kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startIdentity } from './test-harness.ts';
import { bootstrapAndSignIn, type StaffLogin } from './test-staff.ts';

type KeySet = { keys: { kid: string; [k: string]: unknown }[] };
const jwksAt = async (url: string) => (await (await fetch(url)).json()) as KeySet;

const kidOf = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[0] ?? '', 'base64url').toString()).kid as string;

describe('signing keys, rotation and verification by another service', () => {
  let h: Harness;
  let admin: StaffLogin;
  let running: Running;
  beforeAll(async () => {
    h = await startIdentity();
    admin = await bootstrapAndSignIn(h);
    running = await serve(h.app, {
      service: 'identity',
      port: 0,
      host: '127.0.0.1',
      log: silentLog(),
      handleSignals: false,
    });
  });
  afterAll(async () => {
    await running.close();
    await h.close();
  });

  it('serves the JWKS: public ES256 keys only, cacheable', async () => {
    const r = await fetch(`${running.url}/.well-known/jwks.json`);
    expect(r.headers.get('cache-control')).toContain('max-age');
    const { keys } = (await r.json()) as KeySet;
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig', kid: kidOf(admin.accessToken) });
    expect(keys[0]?.d).toBeUndefined();
  });

  it('a service using the kit verifies identity tokens against the served JWKS, through a rotation', async () => {
    const service = createRouter();
    service.use(
      '*',
      authenticate({
        jwks: remoteJwks(`${running.url}/.well-known/jwks.json`, { cooldownMs: 0 }),
        issuer: h.config.JWT_ISSUER,
        audience: h.config.JWT_AUDIENCE,
      }),
    );
    service.get('/whoami', (c) => c.json(callerOf(c)));
    const ask = (token: string) => service.request('/whoami', { headers: { authorization: `Bearer ${token}` } });
    const before = await ask(admin.accessToken);
    expect(before.status).toBe(200);
    expect(await jsonOf(before)).toMatchObject({ id: admin.id, roles: ['admin'], mfa: true });

    const rotated = await h.call('POST', '/keys/rotate', { token: admin.accessToken, body: { immediate: true } });
    expect(rotated.status).toBe(200);
    const { keys } = await jwksAt(`${running.url}/.well-known/jwks.json`);
    expect(keys.map((k) => k.kid).sort()).toEqual([kidOf(admin.accessToken), rotated.body.kid].sort());

    // Tokens of the old key still verify; new tokens carry the new kid and verify too (unknown kid → refetch).
    expect((await ask(admin.accessToken)).status).toBe(200);
    const c = await h.customer('after-rotation@shop.test');
    expect(kidOf(c.accessToken)).toBe(rotated.body.kid);
    expect((await ask(c.accessToken)).status).toBe(200);

    // Once every token of the old key has expired, the key leaves the set.
    h.advance((h.config.ACCESS_TOKEN_TTL_SECONDS + 61) * 1000);
    await new Promise((r) => setTimeout(r, 5_100));
    const later = await jwksAt(`${running.url}/.well-known/jwks.json`);
    expect(later.keys.map((k) => k.kid)).toEqual([rotated.body.kid]);
    const audit = await h.db.query(`SELECT actor_id FROM audit_log WHERE action = 'keys.rotate'`);
    expect(audit.rows).toEqual([{ actor_id: admin.id }]);
  });
});
