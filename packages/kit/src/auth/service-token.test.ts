import { createLocalJWKSet } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { createRouter } from '../http/router.ts';
import { buildApp } from '../serve.ts';
import { jsonOf, silentLog } from '../testing/index.ts';
import { type AuthEnv, authenticate, requireMfa, requireRole } from './middleware.ts';
import { requireServiceToken, SERVICE_TOKEN_HEADER } from './service-token.ts';
import { AUD, ISS, makeKey, sign, type TestKey } from './test-keys.ts';

const TOKEN = 'service-token-for-the-kit-test';

describe('requireServiceToken', () => {
  let key: TestKey;
  let app: ReturnType<typeof buildApp>['app'];
  beforeAll(async () => {
    key = await makeKey('st1');
    const jwks = createLocalJWKSet({ keys: [key.publicJwk] });
    const router = createRouter<AuthEnv>();
    router.use('/internal/*', requireServiceToken({ token: TOKEN, alsoFrom: ['x-admin-token'] }));
    router.use(
      '/shared/*',
      requireServiceToken({
        token: TOKEN,
        otherwise: [authenticate({ jwks, issuer: ISS, audience: AUD }), requireRole('admin'), requireMfa()],
      }),
    );
    router.post('/internal/redeem', (c) => c.json({ ok: true }));
    router.get('/shared/stock', (c) => c.json({ caller: c.get('caller')?.id ?? 'service' }));
    app = buildApp(router, { service: 'service-token-test', log: silentLog() }).app;
  });
  const post = (headers: Record<string, string> = {}) => app.request('/internal/redeem', { method: 'POST', headers });
  const staff = (mfa: boolean) => sign(key, { claims: { roles: ['admin'], mfa, amr: mfa ? ['pwd', 'otp'] : ['pwd'] } });

  it('lets the right token through', async () => {
    const res = await post({ [SERVICE_TOKEN_HEADER]: TOKEN });
    expect(res.status).toBe(200);
    expect(await jsonOf(res)).toEqual({ ok: true });
    expect((await post({ 'x-admin-token': TOKEN })).status).toBe(200);
  });

  it('answers 401 problem+json without a token, 403 with a wrong one (any length)', async () => {
    const none = await post();
    expect(none.status).toBe(401);
    expect(none.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(await jsonOf(none)).toMatchObject({ status: 401, code: 'unauthorized' });
    expect((await post({ [SERVICE_TOKEN_HEADER]: '' })).status).toBe(401);
    for (const wrong of ['x', `${TOKEN}x`, TOKEN.replace(/.$/, 'X'), 'é'.repeat(TOKEN.length)]) {
      const res = await post({ [SERVICE_TOKEN_HEADER]: wrong });
      expect(res.status, wrong).toBe(403);
      expect(await jsonOf(res)).toMatchObject({
        status: 403,
        code: 'forbidden',
        detail: 'the service token is not valid',
      });
    }
    // The legacy header is only read when X-Service-Token is absent, and is checked the same way.
    expect((await post({ [SERVICE_TOKEN_HEADER]: 'wrong-token-wrong-token', 'x-admin-token': TOKEN })).status).toBe(
      403,
    );
    expect((await post({ 'x-admin-token': 'wrong-token-wrong-token' })).status).toBe(403);
  });

  it('falls back to the other chain without a token, and never with a wrong one', async () => {
    const get = (headers: Record<string, string>) => app.request('/shared/stock', { headers });
    expect(await jsonOf(await get({ [SERVICE_TOKEN_HEADER]: TOKEN }))).toEqual({ caller: 'service' });
    expect((await get({})).status).toBe(401);
    expect((await get({ authorization: `Bearer ${await staff(false)}` })).status).toBe(403);
    const admin = await get({ authorization: `Bearer ${await staff(true)}` });
    expect(admin.status).toBe(200);
    expect(await jsonOf(admin)).toEqual({ caller: 'acct-1' });
    // A wrong token is refused even when a valid staff token comes with it.
    const both = await get({
      [SERVICE_TOKEN_HEADER]: 'wrong-token-wrong-token',
      authorization: `Bearer ${await staff(true)}`,
    });
    expect(both.status).toBe(403);
  });

  it('refuses a short token at construction', () => {
    expect(() => requireServiceToken({ token: 'short' })).toThrow(/at least 16/);
  });
});
