import { describe, expect, it } from 'vitest';
import { signedIn } from './order-fixtures.ts';
import { json, problem, text } from './test-support.ts';

describe('sessions', () => {
  const sessions = [
    {
      id: '0199a83f-8840-7236-b5b8-ba24de364399',
      current: false,
      createdAt: '2026-01-01T10:00:00Z',
      lastUsedAt: '2026-01-02T10:00:00Z',
      expiresAt: '2026-02-01T10:00:00Z',
      ip: '203.0.113.9',
      userAgent:
        'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Version/17.0 Mobile/15E148 Safari/604.1',
      mfa: false,
      mode: 'cookie',
    },
    {
      id: '0199a83f-8840-7236-b5b8-ba24de364398',
      current: true,
      createdAt: '2026-01-03T10:00:00Z',
      lastUsedAt: '2026-01-03T11:00:00Z',
      expiresAt: '2026-02-03T10:00:00Z',
      ip: '198.51.100.4',
      userAgent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36',
      mfa: false,
      mode: 'cookie',
    },
  ];

  it('lists them with the current one first and marked', async () => {
    const { get } = await signedIn([['GET /api/identity/sessions', () => json(200, { items: sessions })]]);
    const res = await get('/account/sessions');
    const body = text(await res.text());
    expect(body).toMatch(/Chrome on Linux This device 198\.51\.100\.4/);
    expect(body).toMatch(/Safari on iOS 203\.0\.113\.9/);
    expect(body.indexOf('Chrome on Linux')).toBeLessThan(body.indexOf('Safari on iOS'));
    expect(body).toMatch(/Signs out all 2 sessions, this one included/);
    expect(body).toMatch(/Signs out the other device listed above\. This device stays signed in\./);
  });

  it('signs out all other devices in one call, after a confirmation, and says how many', async () => {
    const calls: string[] = [];
    const { get, post } = await signedIn([
      ['GET /api/identity/sessions', () => json(200, { items: sessions })],
      [
        'POST /api/identity/sessions/revoke-others',
        (call) => {
          calls.push(`${call.method} ${call.path}`);
          return json(200, { revoked: 1 });
        },
      ],
    ]);
    const page = await (await get('/account/sessions')).text();
    expect(page).toMatch(
      /<form method="post" action="\/account\/sessions\/revoke-others" data-confirm="Sign out the other device\? This device stays signed in\.">/,
    );
    expect(page).toMatch(/<button type="submit" class="secondary">Sign out all other devices<\/button>/);
    const res = await post('/account/sessions/revoke-others', {});
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/account/sessions?done=others&n=1');
    expect(calls).toEqual(['POST /api/identity/sessions/revoke-others']);
    const after = text(await (await get('/account/sessions?done=others&n=1')).text());
    expect(after).toMatch(/Signed out 1 other device\. This device stays signed in\./);
    expect(text(await (await get('/account/sessions?done=others&n=3')).text())).toMatch(/Signed out 3 other devices\./);
    // A forged post (no CSRF token) never reaches identity.
    expect((await post('/account/sessions/revoke-others', {}, 'forged')).status).toBe(403);
    expect(calls).toHaveLength(1);
  });

  it('offers no "other devices" button when this is the only session, and explains a failure', async () => {
    const { get, post } = await signedIn([
      ['GET /api/identity/sessions', () => json(200, { items: sessions.filter((s) => s.current) })],
      ['POST /api/identity/sessions/revoke-others', () => problem(503, 'down')],
    ]);
    const page = await (await get('/account/sessions')).text();
    expect(page).not.toContain('action="/account/sessions/revoke-others"');
    expect(text(page)).toMatch(/No other device is signed in\./);
    const res = await post('/account/sessions/revoke-others', {});
    expect(res.headers.get('location')).toBe('/account/sessions?error=others');
    expect(text(await (await get('/account/sessions?error=others')).text())).toMatch(
      /could not sign out your other devices/,
    );
  });

  it('ends one session, and every session (the others in one call, then this one)', async () => {
    const order_: string[] = [];
    const { post } = await signedIn([
      ['GET /api/identity/sessions', () => json(200, { items: sessions })],
      [
        /^DELETE \/api\/identity\/sessions\//,
        (call) => {
          order_.push(`DELETE ${call.path.split('/').pop()}`);
          return new Response(null, { status: 204 });
        },
      ],
      [
        'POST /api/identity/sessions/revoke-others',
        () => {
          order_.push('revoke-others');
          return json(200, { revoked: 1 });
        },
      ],
      [
        'POST /api/identity/logout',
        () => {
          order_.push('logout');
          return new Response(null, { status: 204, headers: { 'set-cookie': 'sf_at=; Max-Age=0; Path=/' } });
        },
      ],
    ]);
    const one = await post(`/account/sessions/${sessions[0]?.id}/revoke`, {});
    expect(one.headers.get('location')).toBe('/account/sessions?done=revoked');
    const all = await post('/account/sessions/revoke-all', {});
    expect(all.headers.get('location')).toBe('/account/sign-in?done=signed-out-everywhere');
    expect(order_).toEqual([`DELETE ${sessions[0]?.id}`, 'revoke-others', 'logout']);
    const bad = await post('/account/sessions/nope/revoke', {});
    expect(bad.status).toBe(404);
  });

  it('says so when not every session could be ended (and does not sign out this one)', async () => {
    let loggedOut = false;
    const { post } = await signedIn([
      ['GET /api/identity/sessions', () => json(200, { items: sessions })],
      ['POST /api/identity/sessions/revoke-others', () => problem(503, 'down')],
      [
        'POST /api/identity/logout',
        () => {
          loggedOut = true;
          return new Response(null, { status: 204 });
        },
      ],
    ]);
    const all = await post('/account/sessions/revoke-all', {});
    expect(all.headers.get('location')).toBe('/account/sessions?error=all');
    expect(loggedOut).toBe(false);
  });
});
