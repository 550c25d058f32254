import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CHALLENGE, TOKEN } from './auth-fixtures.ts';
import { accountApp, customerSession, guestForm, json, problem, text } from './test-support.ts';

describe('forgotten password and reset', () => {
  it('always answers "check your inbox" (no enumeration)', async () => {
    const { app } = await accountApp([['POST /api/identity/password/forgot', () => json(202, { status: 'accepted' })]]);
    const form = await guestForm(app, '/account/forgot');
    const res = await form.post('/account/forgot', { email: 'anyone@example.com' });
    expect(res.headers.get('location')).toBe('/account/forgot?done=sent');
    const page = await app.request('/account/forgot?done=sent');
    expect(text(await page.text())).toMatch(/If an account uses that address/);
  });

  it('the emailed link lands on the reset form; a new password is set and sign-in follows', async () => {
    let sent: unknown;
    const { app } = await accountApp([
      [
        'POST /api/identity/password/reset',
        (call) => {
          sent = call.body;
          return new Response(null, { status: 204 });
        },
      ],
    ]);
    const hop = await app.request(`/account/reset-password?token=${TOKEN}`);
    expect(hop.headers.get('location')).toBe(`/account/reset?token=${TOKEN}`);
    const form = await guestForm(app, `/account/reset?token=${TOKEN}`);
    const short = await form.post('/account/reset', { token: TOKEN, password: 'short' });
    expect(short.status).toBe(422);
    expect(text(await short.text())).toMatch(/Use at least 12 characters/);
    const res = await form.post('/account/reset', { token: TOKEN, password: 'a brand new passphrase' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/account/sign-in?done=reset');
    expect(sent).toEqual({ token: TOKEN, password: 'a brand new passphrase' });
  });

  it('an expired reset link says so and offers a new one', async () => {
    const { app } = await accountApp([
      ['POST /api/identity/password/reset', () => problem(400, 'this link is not valid', { code: 'invalid_link' })],
    ]);
    const form = await guestForm(app, `/account/reset?token=${TOKEN}`);
    const res = await form.post('/account/reset', { token: TOKEN, password: 'a brand new passphrase' });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain('href="/account/forgot"');
  });
});

describe('pages behind sign-in', () => {
  it('a guest is sent to sign-in with next', async () => {
    const { app } = await accountApp();
    const res = await app.request('/account/orders?cursor=abc');
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/account/sign-in?next=%2Faccount%2Forders%3Fcursor%3Dabc');
  });

  it('an expired session gets the refresh page (app.js refreshes it) with a sign-in link', async () => {
    const { app } = await accountApp();
    const res = await app.request('/account/orders', {
      headers: { cookie: `sf_at=expired.token.here; sf_csrf=${'z'.repeat(43)}` },
    });
    expect(res.status).toBe(401);
    const html = await res.text();
    expect(html).toContain('<meta name="sf-session" content="expired"/>');
    expect(html).toContain('href="/account/sign-in?next=%2Faccount%2Forders"');
  });

  it('the overview shows the email and its verified state', async () => {
    const { app, auth } = await accountApp([
      [
        'GET /api/identity/me',
        () =>
          json(200, {
            id: 'acct-1',
            email: 'ada@example.com',
            roles: ['customer'],
            emailVerified: true,
            mfaEnabled: false,
            mfa: false,
          }),
      ],
    ]);
    const s = await customerSession(auth);
    const res = await app.request('/account', { headers: { cookie: s.cookie } });
    expect(res.status).toBe(200);
    const body = text(await res.text());
    expect(body).toMatch(/ada@example.com Confirmed/);
    expect(body).toMatch(/Orders and returns/);
  });

  it('a session ended elsewhere (identity 401) goes to sign-in, which shows the form instead of looping', async () => {
    const { app, auth } = await accountApp([['GET /api/identity/me', () => problem(401, 'this session has ended')]]);
    const s = await customerSession(auth);
    const res = await app.request('/account', { headers: { cookie: s.cookie } });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/account/sign-in?next=%2Faccount');
    const page = await app.request('/account/sign-in?next=%2Faccount', { headers: { cookie: s.cookie } });
    expect(await page.text()).toContain('action="/account/sign-in"');
  });
});

describe('never a 500', () => {
  const paths = [
    '/account/sign-in',
    '/account/sign-up',
    '/account/verify',
    '/account/verify-email',
    '/account/reset',
    '/account/reset-password',
    '/account/forgot',
    '/account/sign-in/mfa',
    '/account/mfa/enrol',
    '/account/welcome',
  ];

  it('random query strings on the public pages', async () => {
    const { app } = await accountApp([
      ['POST /api/identity/mfa/enrol/start', () => problem(401, 'expired; sign in again')],
    ]);
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...paths),
        fc.dictionary(fc.constantFrom('next', 'token', 'done', 'x', 'cursor'), fc.string({ maxLength: 80 })),
        async (path, query) => {
          const res = await app.request(`${path}?${new URLSearchParams(query)}`, {
            headers: { cookie: `sf_mfa=${CHALLENGE}` },
          });
          expect(res.status).toBeLessThan(500);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('random form bodies on every form', async () => {
    const { app } = await accountApp([
      [/^POST \/api\/identity\//, () => problem(401, 'the email or password is not correct')],
    ]);
    const form = await guestForm(app);
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(
          '/account/sign-in',
          '/account/sign-up',
          '/account/verify',
          '/account/forgot',
          '/account/reset',
          '/account/sign-in/mfa',
          '/account/mfa/enrol',
          '/account/sign-out',
        ),
        fc.dictionary(
          fc.constantFrom('email', 'password', 'next', 'token', 'code', 'recoveryCode', 'junk'),
          fc.string({ maxLength: 300 }),
        ),
        async (path, fields) => {
          const res = await form.post(path, fields, `sf_mfa=${CHALLENGE}`);
          expect(res.status).toBeLessThan(500);
        },
      ),
      { numRuns: 150 },
    );
  });
});
