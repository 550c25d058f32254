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
  });

  it('ends one session, and every session (others first, then this one)', async () => {
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
    expect(order_).toEqual([`DELETE ${sessions[0]?.id}`, `DELETE ${sessions[0]?.id}`, 'logout']);
    const bad = await post('/account/sessions/nope/revoke', {});
    expect(bad.status).toBe(404);
  });

  it('says so when not every session could be ended (and does not sign out this one)', async () => {
    let loggedOut = false;
    const { post } = await signedIn([
      ['GET /api/identity/sessions', () => json(200, { items: sessions })],
      [/^DELETE /, () => problem(503, 'down')],
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
