import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startIdentity, VERIFY } from './test-harness.ts';

/** A customer's own account: signing out everywhere else, and the optional display name. */
let h: Harness;
beforeAll(async () => {
  h = await startIdentity();
});
afterAll(() => h.close());

const audit = async (targetId: string, action: string) =>
  (
    await h.db.query<{ actor_id: string; details: Record<string, unknown> }>(
      'SELECT actor_id, details FROM audit_log WHERE target_id = $1 AND action = $2 ORDER BY seq',
      [targetId, action],
    )
  ).rows;

describe('POST /sessions/revoke-others', () => {
  it('ends every other session of mine, keeps this one, is audited, and leaves other accounts alone', async () => {
    const c = await h.customer('everywhere@shop.test');
    const login = async () => (await h.call('POST', '/login', { body: { email: c.email, password: c.password } })).body;
    const phone = await login();
    const laptop = await login();
    const stranger = await h.customer('stranger@shop.test');

    const res = await h.call('POST', '/sessions/revoke-others', { token: laptop.accessToken });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ revoked: 2 });

    const mine = await h.call('GET', '/sessions', { token: laptop.accessToken });
    expect(mine.body.items.map((s: { id: string; current: boolean }) => [s.id, s.current])).toEqual([
      [laptop.sessionId, true],
    ]);
    // The ended sessions are over at once here: their access tokens and refresh tokens are refused.
    for (const ended of [c, phone]) {
      expect((await h.call('GET', '/me', { token: ended.accessToken })).status).toBe(401);
      expect((await h.call('POST', '/token/refresh', { body: { refreshToken: ended.refreshToken } })).status).toBe(401);
    }
    expect((await h.call('GET', '/me', { token: laptop.accessToken })).status).toBe(200);
    expect((await h.call('GET', '/me', { token: stranger.accessToken })).status).toBe(200);

    expect(await audit(c.id, 'session.revoke-others')).toEqual([
      { actor_id: c.id, details: { revoked: 2, kept: laptop.sessionId } },
    ]);
    // Nothing else to end: still answered, still recorded.
    expect((await h.call('POST', '/sessions/revoke-others', { token: laptop.accessToken })).body).toEqual({
      revoked: 0,
    });
    expect(await audit(c.id, 'session.revoke-others')).toHaveLength(2);
  });

  it('needs a live session, and the CSRF header in cookie mode', async () => {
    expect((await h.call('POST', '/sessions/revoke-others')).status).toBe(401);
    const c = await h.customer('csrf-everywhere@shop.test');
    const other = (await h.call('POST', '/login', { body: { email: c.email, password: c.password } })).body;
    const login = await h.call('POST', '/login', { body: { email: c.email, password: c.password, mode: 'cookie' } });
    const jar = login.headers
      .getSetCookie()
      .map((s) => s.split(';')[0])
      .join('; ');
    const forged = await h.call('POST', '/sessions/revoke-others', { headers: { cookie: jar } });
    expect(forged.status).toBe(403);
    expect(forged.body.code).toBe('csrf_failed');
    expect((await h.call('GET', '/me', { token: other.accessToken })).status).toBe(200);
    const ok = await h.call('POST', '/sessions/revoke-others', {
      headers: { cookie: jar, 'x-csrf-token': login.body.csrfToken },
    });
    expect(ok.body).toEqual({ revoked: 2 });
    expect((await h.call('GET', '/me', { token: other.accessToken })).status).toBe(401);
    // An ended session cannot end the others.
    expect((await h.call('POST', '/sessions/revoke-others', { token: other.accessToken })).status).toBe(401);
  });
});

describe('display name', () => {
  const signUp = async (email: string, displayName?: string) => {
    const r = await h.call('POST', '/register', {
      body: { email, password: 'correct horse battery', ...(displayName === undefined ? {} : { displayName }) },
    });
    expect(r.status).toBe(202);
  };
  const verify = async (email: string) =>
    expect((await h.call('POST', '/email/verify', { body: { token: await h.linkToken(email, VERIFY) } })).status).toBe(
      200,
    );
  const signIn = async (email: string) =>
    (await h.call('POST', '/login', { body: { email, password: 'correct horse battery' } })).body.accessToken as string;

  it('is optional at sign-up, trimmed, and on /me once the address is verified', async () => {
    await signUp('ada@shop.test', '  Ada Lovelace ');
    await verify('ada@shop.test');
    const me = await h.call('GET', '/me', { token: await signIn('ada@shop.test') });
    expect(me.body).toMatchObject({ email: 'ada@shop.test', displayName: 'Ada Lovelace' });

    await signUp('noname@shop.test');
    await verify('noname@shop.test');
    expect((await h.call('GET', '/me', { token: await signIn('noname@shop.test') })).body.displayName).toBeNull();
    await signUp('blank@shop.test', '   ');
    await verify('blank@shop.test');
    expect((await h.call('GET', '/me', { token: await signIn('blank@shop.test') })).body.displayName).toBeNull();
  });

  it("travels with the verification link: someone else's sign-up cannot name the account", async () => {
    await signUp('victim@shop.test', 'Mallory was here');
    await signUp('victim@shop.test', 'Victoria');
    await verify('victim@shop.test');
    const token = await signIn('victim@shop.test');
    expect((await h.call('GET', '/me', { token })).body.displayName).toBe('Victoria');
    // Signing up again for a verified address changes nothing (and says nothing).
    await signUp('victim@shop.test', 'Mallory again');
    expect((await h.call('GET', '/me', { token })).body.displayName).toBe('Victoria');
  });

  it('PATCH /me sets, clears and validates it; audited without the value', async () => {
    const c = await h.customer('grace@shop.test');
    const token = c.accessToken as string;
    const set = await h.call('PATCH', '/me', { token, body: { displayName: ' Grace Hopper ' } });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ id: c.id, email: c.email, displayName: 'Grace Hopper', roles: ['customer'] });
    expect((await h.call('GET', '/me', { token })).body.displayName).toBe('Grace Hopper');
    // Composed and decomposed forms are one name.
    const nfd = await h.call('PATCH', '/me', { token, body: { displayName: 'Zoe\u0301' } });
    expect(nfd.body.displayName).toBe('Zoé');
    expect((await h.call('PATCH', '/me', { token, body: { displayName: null } })).body.displayName).toBeNull();
    expect((await h.call('PATCH', '/me', { token, body: { displayName: 'Grace' } })).body.displayName).toBe('Grace');
    expect((await h.call('PATCH', '/me', { token, body: { displayName: '' } })).body.displayName).toBeNull();

    for (const body of [
      { displayName: 'x'.repeat(81) },
      { displayName: 'bell\u0007' },
      { displayName: 'line\nbreak' },
      { displayName: 'evil\u202Eeman' },
      { displayName: 42 },
      { displayName: 'Grace', roles: ['admin'] },
      {},
    ]) {
      const r = await h.call('PATCH', '/me', { token, body });
      expect(r.status, JSON.stringify(body)).toBe(422);
      expect(r.headers.get('content-type')).toMatch(/problem\+json/);
    }
    expect((await h.call('PATCH', '/me', { body: { displayName: 'x' } })).status).toBe(401);
    expect(
      (
        await h.call('POST', '/register', {
          body: { email: 'bad@shop.test', password: 'correct horse battery', displayName: 'a\u0000' },
        })
      ).status,
    ).toBe(422);

    const rows = await audit(c.id, 'profile.update');
    expect(rows).toHaveLength(5);
    expect(rows[0]).toEqual({ actor_id: c.id, details: { fields: ['displayName'], cleared: false } });
    expect(JSON.stringify(rows)).not.toContain('Grace');
    expect((await h.call('GET', '/me', { token })).body.displayName).toBeNull();
  });
});
