import { describe, expect, it } from 'vitest';
import { CHALLENGE } from './auth-fixtures.ts';
import { accountApp, customerSession, guestForm, json, problem, setCookies, text } from './test-support.ts';

describe('sign-in', () => {
  const ok = () =>
    json(
      200,
      { status: 'ok', sessionId: 's1', expiresIn: 900, csrfToken: 'x'.repeat(43) },
      { 'set-cookie': 'sf_at=abc; Path=/; HttpOnly; SameSite=Lax' },
    );

  it('signs in in cookie mode, relays identity cookies and goes through the welcome hop to next', async () => {
    const { app, calls } = await accountApp([['POST /api/identity/login', ok]]);
    const form = await guestForm(app, '/account/sign-in?next=/account/orders');
    const res = await form.post('/account/sign-in', {
      email: 'ada@example.com',
      password: 'pw',
      next: '/account/orders',
    });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/account/welcome?next=%2Faccount%2Forders');
    expect(setCookies(res).get('sf_at')).toBe('abc');
    expect(calls.find((c) => c.path === '/api/identity/login')?.body).toEqual({
      email: 'ada@example.com',
      password: 'pw',
      mode: 'cookie',
    });
  });

  it('ignores an off-site next (no open redirect)', async () => {
    const { app } = await accountApp([['POST /api/identity/login', ok]]);
    const form = await guestForm(app);
    for (const next of ['https://evil.example/', '//evil.example', '/\\evil.example']) {
      const res = await form.post('/account/sign-in', { email: 'ada@example.com', password: 'pw', next });
      expect(res.headers.get('location')).toBe('/account/welcome');
    }
    const page = await app.request('/account/sign-in?next=https%3A%2F%2Fevil.example');
    expect(await page.text()).toContain('name="next" value=""');
  });

  it('the welcome hop goes to next for a signed-in viewer, and to sign-in for a guest', async () => {
    const { app, auth } = await accountApp();
    const s = await customerSession(auth);
    const res = await app.request('/account/welcome?next=%2Faccount%2Forders', { headers: { cookie: s.cookie } });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/account/orders');
    const evil = await app.request('/account/welcome?next=%2F%2Fevil.example', { headers: { cookie: s.cookie } });
    expect(evil.headers.get('location')).toBe('/account');
    // Staff signed in with MFA and sent nowhere in particular land on the console.
    const staff = await app.request('/account/welcome', {
      headers: { cookie: `sf_at=${await auth.staffToken(['support'])}` },
    });
    expect(staff.headers.get('location')).toBe('/admin');
    const guest = await app.request('/account/welcome?next=%2Faccount%2Forders');
    expect(guest.headers.get('location')).toBe('/account/sign-in?next=%2Faccount%2Forders');
  });

  it('the welcome hop moves the guest cart into the account (the shop’s mergeGuestCart)', async () => {
    const { app, auth, calls } = await accountApp([
      [
        'POST /api/cart/carts/merge',
        () => json(200, { cart: { id: 'c2', lines: [{ sku: 'S', quantity: 2 }] }, capped: [], dropped: [] }),
      ],
    ]);
    const s = await customerSession(auth);
    const cartId = '0199a83f-8840-7236-b5b8-ba24de364311';
    const res = await app.request('/account/welcome?next=%2Fcart', {
      headers: { cookie: `${s.cookie}; sf_cart=${cartId}.${'k'.repeat(32)}` },
    });
    expect(res.headers.get('location')).toBe('/cart');
    const merge = calls.find((c) => c.path === '/api/cart/carts/merge');
    expect(merge?.body).toEqual({ cartId, token: 'k'.repeat(32) });
    expect(merge?.headers.get('cookie')).toMatch(/sf_at=/);
    expect(setCookies(res).get('sf_cart_n')).toBe('2');
  });

  it('one generic answer for a wrong email or password', async () => {
    const { app } = await accountApp([
      [
        'POST /api/identity/login',
        () => problem(401, 'the email or password is not correct', { code: 'unauthorized' }),
      ],
    ]);
    const form = await guestForm(app);
    const res = await form.post('/account/sign-in', { email: 'nobody@example.com', password: 'pw' });
    expect(res.status).toBe(401);
    const html = await res.text();
    expect(text(html)).toMatch(/That email address and password do not match/);
    expect(html).toContain('value="nobody@example.com"');
    expect(html).not.toContain('value="pw"');
  });

  it('a lockout is explained kindly with the wait', async () => {
    const { app } = await accountApp([
      [
        'POST /api/identity/login',
        () => problem(429, 'Too many attempts. Try again later.', { code: 'rate_limited', retryAfter: 300 }),
      ],
    ]);
    const form = await guestForm(app);
    const res = await form.post('/account/sign-in', { email: 'ada@example.com', password: 'pw' });
    expect(res.status).toBe(429);
    expect(text(await res.text())).toMatch(/For your security we have paused signing in .* wait about 5 minutes/);
  });

  it('an unverified address is told to confirm it first', async () => {
    const { app } = await accountApp([
      [
        'POST /api/identity/login',
        () => problem(403, 'confirm your email address first', { code: 'email_unverified' }),
      ],
    ]);
    const form = await guestForm(app);
    const res = await form.post('/account/sign-in', { email: 'ada@example.com', password: 'pw' });
    expect(res.status).toBe(403);
    expect(text(await res.text())).toMatch(/Please confirm your email address first/);
  });

  it('identity down is a kind page, never a stack', async () => {
    const { app } = await accountApp([['POST /api/identity/login', () => new Response('boom', { status: 502 })]]);
    const form = await guestForm(app);
    const res = await form.post('/account/sign-in', { email: 'ada@example.com', password: 'pw' });
    expect(res.status).toBe(503);
    const body = text(await res.text());
    expect(body).toMatch(/Something went wrong on our side/);
    expect(body).not.toMatch(/boom/);
  });

  it('empty fields are shown inline', async () => {
    const { app, calls } = await accountApp();
    const form = await guestForm(app);
    const res = await form.post('/account/sign-in', { email: '', password: '' });
    expect(res.status).toBe(422);
    const body = text(await res.text());
    expect(body).toMatch(/Enter your email address/);
    expect(body).toMatch(/Enter your password/);
    expect(calls.some((c) => c.path === '/api/identity/login')).toBe(false);
  });
});

describe('staff MFA', () => {
  it('a staff password sign-in continues at the MFA step with the challenge in an HttpOnly cookie', async () => {
    let mfaBody: unknown;
    const { app } = await accountApp([
      ['POST /api/identity/login', () => json(200, { status: 'mfa_required', challenge: CHALLENGE, expiresIn: 300 })],
      [
        'POST /api/identity/login/mfa',
        (call) => {
          mfaBody = call.body;
          return (call.body as { code?: string }).code === '123456'
            ? json(200, { status: 'ok', sessionId: 's', expiresIn: 900 }, { 'set-cookie': 'sf_at=staff; Path=/' })
            : problem(401, 'the code is not valid', { code: 'unauthorized' });
        },
      ],
    ]);
    const form = await guestForm(app);
    const res = await form.post('/account/sign-in', { email: 'staff@example.com', password: 'pw', next: '/admin' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/account/sign-in/mfa?next=%2Fadmin');
    const cookieLine = res.headers.getSetCookie().find((l) => l.startsWith('sf_mfa='));
    expect(cookieLine).toMatch(/HttpOnly/);
    expect(cookieLine).toMatch(/SameSite=Strict/);
    const mfa = `sf_mfa=${CHALLENGE}`;

    const page = await app.request('/account/sign-in/mfa?next=%2Fadmin', {
      headers: { cookie: `${form.cookie}; ${mfa}` },
    });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('autocomplete="one-time-code"');
    expect(html).toMatch(/Use a recovery code/);
    expect(html).not.toContain(CHALLENGE);

    const wrong = await form.post('/account/sign-in/mfa', { code: '000000', next: '/admin' }, mfa);
    expect(wrong.status).toBe(401);
    expect(text(await wrong.text())).toMatch(/That code did not work/);

    const bad = await form.post('/account/sign-in/mfa', { code: '12ab', next: '/admin' }, mfa);
    expect(bad.status).toBe(422);
    expect(text(await bad.text())).toMatch(/Enter the 6-digit code/);

    const right = await form.post('/account/sign-in/mfa', { code: '123 456', next: '/admin' }, mfa);
    expect(right.status).toBe(303);
    expect(right.headers.get('location')).toBe('/account/welcome?next=%2Fadmin');
    expect(setCookies(right).get('sf_at')).toBe('staff');
    expect(setCookies(right).get('sf_mfa')).toBe('');
    expect(mfaBody).toEqual({ challenge: CHALLENGE, code: '123456' });
  });

  it('takes a recovery code instead of a TOTP code', async () => {
    let sent: unknown;
    const { app } = await accountApp([
      [
        'POST /api/identity/login/mfa',
        (call) => {
          sent = call.body;
          return json(200, { status: 'ok', sessionId: 's', expiresIn: 900 });
        },
      ],
    ]);
    const form = await guestForm(app);
    const res = await form.post(
      '/account/sign-in/mfa',
      { recoveryCode: 'ABCD-EFGH-IJKL-MNOP', next: '/admin' },
      `sf_mfa=${CHALLENGE}`,
    );
    expect(res.status).toBe(303);
    expect(sent).toEqual({ challenge: CHALLENGE, recoveryCode: 'ABCD-EFGH-IJKL-MNOP' });
  });

  it('an expired step sends back to sign-in with a notice', async () => {
    const { app } = await accountApp([
      [
        'POST /api/identity/login/mfa',
        () => problem(401, 'this sign-in step has expired or is not valid; sign in again', { code: 'unauthorized' }),
      ],
    ]);
    const form = await guestForm(app);
    const noCookie = await app.request('/account/sign-in/mfa');
    expect(noCookie.headers.get('location')).toBe('/account/sign-in?done=mfa-expired');
    const res = await form.post('/account/sign-in/mfa', { code: '123456' }, `sf_mfa=${CHALLENGE}`);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toMatch(/^\/account\/sign-in\?done=mfa-expired/);
    const page = await app.request(res.headers.get('location') ?? '');
    expect(text(await page.text())).toMatch(/That sign-in took too long/);
  });

  it('enrolment shows the secret and otpauth link, confirms a code, and shows the recovery codes once', async () => {
    const secret = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
    const uri = `otpauth://totp/Storefront:staff%40example.com?secret=${secret}&issuer=Storefront`;
    const codes = Array.from({ length: 10 }, (_, i) => `AAAA-BBBB-CCCC-DD${String(i).padStart(2, '0')}`);
    const { app } = await accountApp([
      [
        'POST /api/identity/login',
        () => json(200, { status: 'mfa_enrolment_required', challenge: CHALLENGE, expiresIn: 600 }),
      ],
      ['POST /api/identity/mfa/enrol/start', () => json(200, { secret, otpauthUri: uri })],
      [
        'POST /api/identity/mfa/enrol/confirm',
        (call) =>
          (call.body as { code: string }).code === '654321'
            ? json(200, { status: 'ok', sessionId: 's', expiresIn: 900, recoveryCodes: codes })
            : problem(401, 'the code is not valid'),
      ],
    ]);
    const form = await guestForm(app);
    const signIn = await form.post('/account/sign-in', { email: 'staff@example.com', password: 'pw', next: '/admin' });
    expect(signIn.headers.get('location')).toBe('/account/mfa/enrol?next=%2Fadmin');
    const mfa = `sf_mfa=${CHALLENGE}`;
    const page = await app.request('/account/mfa/enrol?next=%2Fadmin', {
      headers: { cookie: `${form.cookie}; ${mfa}` },
    });
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(html).toContain('JBSW Y3DP EHPK 3PXP JBSW Y3DP EHPK 3PXP');
    expect(html).toContain(
      `href="otpauth://totp/Storefront:staff%40example.com?secret=${secret}&amp;issuer=Storefront"`,
    );

    const wrong = await form.post('/account/mfa/enrol', { code: '111111', next: '/admin' }, mfa);
    expect(wrong.status).toBe(401);
    expect(text(await wrong.text())).toMatch(/That code did not match/);

    const done = await form.post('/account/mfa/enrol', { code: '654321', next: '/admin' }, mfa);
    expect(done.status).toBe(200);
    expect(done.headers.get('cache-control')).toBe('no-store');
    const shown = await done.text();
    for (const code of codes) expect(shown).toContain(code);
    expect(shown).toContain('href="/account/welcome?next=%2Fadmin"');
    expect(setCookies(done).get('sf_mfa')).toBe('');
  });
});

describe('sign-out', () => {
  it('posts to identity with the session cookies and relays its cookie clearing', async () => {
    const { app, auth, calls } = await accountApp([
      [
        'POST /api/identity/logout',
        () =>
          new Response(null, {
            status: 204,
            headers: [
              ['set-cookie', 'sf_at=; Max-Age=0; Path=/'],
              ['set-cookie', 'sf_rt=; Max-Age=0; Path=/api/identity/'],
              ['set-cookie', 'sf_csrf=; Max-Age=0; Path=/'],
            ],
          }),
      ],
    ]);
    const s = await customerSession(auth);
    const res = await app.request('/account/sign-out', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: s.cookie },
      body: `_csrf=${s.csrf}`,
    });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/account/sign-in?done=signed-out');
    const cleared = setCookies(res);
    expect(cleared.get('sf_at')).toBe('');
    expect(cleared.get('sf_rt')).toBe('');
    expect(cleared.get('sf_csrf')).toBe('');
    expect(calls.find((c) => c.path === '/api/identity/logout')?.headers.get('cookie')).toMatch(/sf_at=/);
  });

  it('clears the cookies itself when identity cannot be reached', async () => {
    const { app, auth } = await accountApp([['POST /api/identity/logout', () => problem(503, 'down')]]);
    const s = await customerSession(auth);
    const res = await app.request('/account/sign-out', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: s.cookie },
      body: `_csrf=${s.csrf}`,
    });
    expect(res.status).toBe(303);
    expect(res.headers.getSetCookie().some((l) => l.startsWith('sf_rt=;') && l.includes('Path=/api/identity/'))).toBe(
      true,
    );
  });

  it('refuses a forged sign-out (no CSRF field)', async () => {
    const { app, auth, calls } = await accountApp();
    const s = await customerSession(auth);
    const res = await app.request('/account/sign-out', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: s.cookie },
      body: '',
    });
    expect(res.status).toBe(403);
    expect(calls.some((c) => c.path === '/api/identity/logout')).toBe(false);
  });
});
