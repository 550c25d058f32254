import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, RESET, startIdentity, VERIFY } from './test-harness.ts';

describe('customer journeys', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startIdentity();
  });
  afterAll(() => h.close());

  it('register → verify → login → refresh → logout', async () => {
    const email = 'ada@shop.test';
    const password = 'correct horse battery';
    const reg = await h.call('POST', '/register', { body: { email: 'Ada@Shop.test ', password } });
    expect(reg.status).toBe(202);
    // Before the link is followed there is no password to sign in with.
    expect((await h.call('POST', '/login', { body: { email, password } })).status).toBe(401);

    const token = await h.linkToken(email, VERIFY);
    expect((await h.call('POST', '/email/verify', { body: { token } })).status).toBe(200);
    // Single use.
    expect((await h.call('POST', '/email/verify', { body: { token } })).status).toBe(400);

    const login = await h.call('POST', '/login', { body: { email, password } });
    expect(login.status).toBe(200);
    expect(login.body).toMatchObject({ status: 'ok', tokenType: 'Bearer', expiresIn: 900 });
    const me = await h.call('GET', '/me', { token: login.body.accessToken });
    expect(me.body).toMatchObject({ email, roles: ['customer'], emailVerified: true, mfaEnabled: false, mfa: false });

    const refreshed = await h.call('POST', '/token/refresh', { body: { refreshToken: login.body.refreshToken } });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.refreshToken).not.toBe(login.body.refreshToken);
    expect(refreshed.body.sessionId).toBe(login.body.sessionId);

    const sessions = await h.call('GET', '/sessions', { token: refreshed.body.accessToken });
    expect(sessions.body.items).toHaveLength(1);
    expect(sessions.body.items[0]).toMatchObject({ id: login.body.sessionId, current: true, mode: 'bearer' });

    expect((await h.call('POST', '/logout', { token: refreshed.body.accessToken })).status).toBe(204);
    // Identity checks the session is live, so logout is immediate here.
    expect((await h.call('GET', '/me', { token: refreshed.body.accessToken })).status).toBe(401);
    const after = await h.call('POST', '/token/refresh', { body: { refreshToken: refreshed.body.refreshToken } });
    expect(after.status).toBe(401);

    const events = await h.db.query(`SELECT subject FROM outbox WHERE payload->>'email' = $1`, [email]);
    expect(events.rows.map((r) => r.subject)).toEqual([VERIFY]);
  });

  it('does not say whether an address is registered when signing up again', async () => {
    const c = await h.customer('taken@shop.test');
    const again = await h.call('POST', '/register', { body: { email: c.email, password: 'another long password' } });
    const fresh = await h.call('POST', '/register', {
      body: { email: 'free@shop.test', password: 'another long password' },
    });
    expect(again.status).toBe(fresh.status);
    expect(again.body).toEqual(fresh.body);
    // The verified owner's password is untouched.
    expect((await h.call('POST', '/login', { body: { email: c.email, password: c.password } })).status).toBe(200);
  });

  it('password reset: link by event, single use, new password works, old sessions end', async () => {
    const c = await h.customer('grace@shop.test');
    const unknown = await h.call('POST', '/password/forgot', { body: { email: 'nobody@shop.test' } });
    const known = await h.call('POST', '/password/forgot', { body: { email: c.email } });
    expect(known.status).toBe(202);
    expect(unknown.status).toBe(202);
    expect(unknown.body).toEqual(known.body);

    const token = await h.linkToken(c.email, RESET);
    const reset = await h.call('POST', '/password/reset', { body: { token, password: 'a brand new password' } });
    expect(reset.status).toBe(204);
    expect(
      (await h.call('POST', '/password/reset', { body: { token, password: 'yet another password' } })).status,
    ).toBe(400);
    expect((await h.call('POST', '/login', { body: { email: c.email, password: c.password } })).status).toBe(401);
    expect(
      (await h.call('POST', '/login', { body: { email: c.email, password: 'a brand new password' } })).status,
    ).toBe(200);
    expect((await h.call('POST', '/token/refresh', { body: { refreshToken: c.refreshToken } })).status).toBe(401);
    const audit = await h.db.query(`SELECT action FROM audit_log WHERE target_id = $1 ORDER BY seq`, [c.id]);
    expect(audit.rows.map((r) => r.action)).toContain('password.reset');
  });

  it('cookie mode: HttpOnly Lax cookies, CSRF token required for cookie refresh and logout', async () => {
    const c = await h.customer('cookie@shop.test');
    const login = await h.call('POST', '/login', { body: { email: c.email, password: c.password, mode: 'cookie' } });
    expect(login.status).toBe(200);
    expect(login.body.accessToken).toBeUndefined();
    const csrf = login.body.csrfToken as string;
    const setCookies = login.headers.getSetCookie();
    const at = setCookies.find((s) => s.startsWith('sf_at='));
    const rt = setCookies.find((s) => s.startsWith('sf_rt='));
    expect(at).toMatch(/HttpOnly/);
    expect(at).toMatch(/SameSite=Lax/);
    expect(at).toMatch(/Secure/);
    expect(rt).toMatch(/Path=\/api\/identity\//);
    expect(setCookies.find((s) => s.startsWith('sf_csrf='))).not.toMatch(/HttpOnly/);
    const jar = setCookies.map((s) => s.split(';')[0]).join('; ');

    expect((await h.call('GET', '/me', { headers: { cookie: jar } })).status).toBe(200);
    // A cross-site request carries the cookies but not the header.
    expect((await h.call('POST', '/token/refresh', { headers: { cookie: jar } })).status).toBe(403);
    const refreshed = await h.call('POST', '/token/refresh', { headers: { cookie: jar, 'x-csrf-token': csrf } });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.refreshToken).toBeUndefined();
    const jar2 = refreshed.headers
      .getSetCookie()
      .map((s) => s.split(';')[0])
      .concat(`sf_csrf=${csrf}`)
      .join('; ');
    expect((await h.call('DELETE', `/sessions/${login.body.sessionId}`, { headers: { cookie: jar2 } })).status).toBe(
      403,
    );
    const out = await h.call('POST', '/logout', { headers: { cookie: jar2, 'x-csrf-token': csrf } });
    expect(out.status).toBe(204);
    expect(out.headers.getSetCookie().some((s) => s.startsWith('sf_at=;'))).toBe(true);
    expect((await h.call('GET', '/me', { headers: { cookie: jar2 } })).status).toBe(401);
  });
});
