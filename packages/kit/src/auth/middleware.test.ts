import { createLocalJWKSet } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { createRouter } from '../http/router.ts';
import { buildApp } from '../serve.ts';
import { jsonOf, silentLog } from '../testing/index.ts';
import { csrfClaim } from './claims.ts';
import { type AuthEnv, authenticate, callerOf, requireMfa, requireRole } from './middleware.ts';
import { AUD, ISS, makeKey, sign, type TestKey } from './test-keys.ts';

describe('authenticate, requireRole, requireMfa', () => {
  let key: TestKey;
  let app: ReturnType<typeof buildApp>['app'];
  beforeAll(async () => {
    key = await makeKey('m1');
    const jwks = createLocalJWKSet({ keys: [key.publicJwk] });
    const router = createRouter<AuthEnv>();
    router.use('/me/*', authenticate({ jwks, issuer: ISS, audience: AUD }));
    router.use('/staff/*', authenticate({ jwks, issuer: ISS, audience: AUD }), requireRole('admin'), requireMfa());
    router.use('/maybe', authenticate({ jwks, issuer: ISS, audience: AUD, optional: true }));
    router.get('/me/whoami', (c) => c.json(callerOf(c)));
    router.post('/me/change', (c) => c.json({ ok: true }));
    router.get('/staff/area', (c) => c.json({ ok: true }));
    router.get('/maybe', (c) => c.json({ caller: c.get('caller')?.id ?? null }));
    app = buildApp(router, { service: 'auth-test', log: silentLog() }).app;
  });
  const bearer = (t: string) => ({ authorization: `Bearer ${t}` });

  it('puts the caller in the context', async () => {
    const res = await app.request('/me/whoami', { headers: bearer(await sign(key)) });
    expect(res.status).toBe(200);
    expect(await jsonOf(res)).toEqual({
      id: 'acct-1',
      roles: ['customer'],
      mfa: false,
      sessionId: 'sess-1',
      amr: ['pwd'],
    });
  });

  it('answers 401 problem+json with no token or a bad one', async () => {
    const none = await app.request('/me/whoami');
    expect(none.status).toBe(401);
    expect(none.headers.get('content-type')).toContain('application/problem+json');
    expect((await app.request('/me/whoami', { headers: bearer('x.y.z') })).status).toBe(401);
    expect((await app.request('/me/whoami', { headers: { authorization: 'Basic abc' } })).status).toBe(401);
  });

  it('answers 403 for the wrong role, 403 for staff without MFA, 401 for nobody', async () => {
    expect((await app.request('/staff/area')).status).toBe(401);
    expect((await app.request('/staff/area', { headers: bearer(await sign(key)) })).status).toBe(403);
    const noMfa = await app.request('/staff/area', {
      headers: bearer(await sign(key, { claims: { roles: ['admin'] } })),
    });
    expect(noMfa.status).toBe(403);
    expect((await jsonOf(noMfa)).code).toBe('mfa_required');
    const ok = await app.request('/staff/area', {
      headers: bearer(await sign(key, { claims: { roles: ['admin'], mfa: true, amr: ['pwd', 'otp'] } })),
    });
    expect(ok.status).toBe(200);
  });

  it('lets anonymous callers through when optional, but still refuses a bad token', async () => {
    expect(await jsonOf(await app.request('/maybe'))).toEqual({ caller: null });
    expect((await app.request('/maybe', { headers: bearer('bad.token.here') })).status).toBe(401);
  });

  it('takes the token from the cookie and demands the bound CSRF token on changes', async () => {
    const csrf = 'csrf-token-123';
    const token = await sign(key, { claims: { csrf: csrfClaim(csrf) } });
    const cookie = { cookie: `sf_at=${token}` };
    expect((await app.request('/me/whoami', { headers: cookie })).status).toBe(200);
    const missing = await app.request('/me/change', { method: 'POST', headers: cookie });
    expect(missing.status).toBe(403);
    expect((await jsonOf(missing)).code).toBe('csrf_failed');
    const wrong = await app.request('/me/change', { method: 'POST', headers: { ...cookie, 'x-csrf-token': 'guess' } });
    expect(wrong.status).toBe(403);
    const right = await app.request('/me/change', { method: 'POST', headers: { ...cookie, 'x-csrf-token': csrf } });
    expect(right.status).toBe(200);
    // A bearer token is not sent by the browser on its own: no CSRF token needed.
    expect((await app.request('/me/change', { method: 'POST', headers: bearer(token) })).status).toBe(200);
  });
});
