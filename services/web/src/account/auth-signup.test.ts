import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TOKEN } from './auth-fixtures.ts';
import { safeNext } from './shared.tsx';
import { accountApp, guestForm, json, problem, text } from './test-support.ts';

describe('safeNext: only same-site relative paths', () => {
  it('keeps a relative path with its query', () => {
    expect(safeNext('/account/orders?cursor=abc')).toBe('/account/orders?cursor=abc');
    expect(safeNext('/admin')).toBe('/admin');
    // Encoded line breaks stay an (unknown) path on this site: nothing is decoded into a header.
    expect(safeNext('/%0d%0aSet-Cookie:x')).toBe('/%0d%0aSet-Cookie:x');
  });
  it.each([
    'https://evil.example/',
    '//evil.example/x',
    '/\\evil.example',
    '\\\\evil.example',
    'javascript:alert(1)',
    '/ok\nhttps://evil',
    'account',
    '',
    '/account/sign-out',
    '/account/sign-in?next=/x',
  ])('refuses %j', (raw) => {
    expect(safeNext(raw)).toBe('/account');
  });
  it('never leaves the site, whatever the input', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (s) => {
        const out = safeNext(s);
        expect(out.startsWith('/')).toBe(true);
        expect(out.startsWith('//')).toBe(false);
        expect(new URL(out, 'http://same.invalid').origin).toBe('http://same.invalid');
      }),
    );
  });
});

describe('sign-up', () => {
  it('shows the identity password rules as hints and labels every input', async () => {
    const { app } = await accountApp();
    const res = await app.request('/account/sign-up');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('<h1>Create an account</h1>');
    expect(html).toMatch(/At least 12 characters/);
    expect(html).toContain('for="f-email"');
    expect(html).toContain('for="f-password"');
    expect(html).toContain('name="_csrf"');
    expect(res.headers.get('cache-control')).toBe('no-store');
  });

  it('shows inline errors for a bad email and a short password, without calling identity', async () => {
    const { app, calls } = await accountApp();
    const form = await guestForm(app, '/account/sign-up');
    const res = await form.post('/account/sign-up', { email: 'not-an-email', password: 'short' });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toContain('role="alert"');
    expect(text(html)).toMatch(/Enter an email address like name@example.com/);
    expect(text(html)).toMatch(/Use at least 12 characters/);
    expect(html).toContain('value="not-an-email"');
    expect(html).not.toContain('value="short"');
    expect(calls.some((c) => c.path === '/api/identity/register')).toBe(false);
  });

  it('answers the same "check your inbox" whatever identity knows (no enumeration)', async () => {
    const { app, calls } = await accountApp([['POST /api/identity/register', () => json(202, { status: 'accepted' })]]);
    const form = await guestForm(app, '/account/sign-up');
    const res = await form.post('/account/sign-up', { email: ' Ada@Example.com ', password: 'a long enough password' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/account/sign-up?done=sent');
    expect(calls.find((c) => c.path === '/api/identity/register')?.body).toEqual({
      email: 'Ada@Example.com',
      password: 'a long enough password',
    });
    const page = await app.request('/account/sign-up?done=sent');
    expect(text(await page.text())).toMatch(/If that address can be used for a new account, we have sent it a link/);
  });

  it('shows a rate limit kindly, with the wait in words', async () => {
    const { app } = await accountApp([
      ['POST /api/identity/register', () => problem(429, 'Too many attempts. Try again later.', { retryAfter: 1800 })],
    ]);
    const form = await guestForm(app, '/account/sign-up');
    const res = await form.post('/account/sign-up', { email: 'ada@example.com', password: 'a long enough password' });
    expect(res.status).toBe(429);
    expect(text(await res.text())).toMatch(/paused signing up for a moment .* wait about 30 minutes/);
  });

  it('refuses a form without the CSRF field before calling identity', async () => {
    const { app, calls } = await accountApp();
    const res = await app.request('/account/sign-up', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'email=a%40b.co&password=aaaaaaaaaaaaaaaa',
    });
    expect(res.status).toBe(403);
    expect(text(await res.text())).toMatch(/Please try that again/);
    expect(calls.some((c) => c.path.startsWith('/api/identity/register'))).toBe(false);
  });
});

describe('email verification', () => {
  it('the emailed link (/account/verify-email) lands on the verify page, which asks for a click', async () => {
    const { app } = await accountApp();
    const hop = await app.request(`/account/verify-email?token=${TOKEN}`);
    expect(hop.status).toBe(302);
    expect(hop.headers.get('location')).toBe(`/account/verify?token=${TOKEN}`);
    const res = await app.request(`/account/verify?token=${TOKEN}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    const html = await res.text();
    expect(html).toContain(`name="token" value="${TOKEN}"`);
    expect(html).toMatch(/Confirm my email address/);
  });

  it('confirms and sends to sign-in; a used or unknown link says so kindly', async () => {
    let used = false;
    const { app } = await accountApp([
      [
        'POST /api/identity/email/verify',
        () => {
          if (used)
            return problem(400, 'this link is not valid or has expired; ask for a new one', { code: 'invalid_link' });
          used = true;
          return json(200, { verified: true });
        },
      ],
    ]);
    const form = await guestForm(app, `/account/verify?token=${TOKEN}`);
    const first = await form.post('/account/verify', { token: TOKEN });
    expect(first.status).toBe(303);
    expect(first.headers.get('location')).toBe('/account/sign-in?done=verified');
    const again = await form.post('/account/verify', { token: TOKEN });
    expect(again.status).toBe(400);
    expect(text(await again.text())).toMatch(/This link is not valid or has expired/);
    const page = await app.request('/account/sign-in?done=verified');
    expect(text(await page.text())).toMatch(/Your email address is confirmed/);
  });

  it('a malformed token is a kind page, not an error', async () => {
    const { app } = await accountApp();
    const res = await app.request('/account/verify?token=%3Cscript%3E');
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).not.toContain('<script>');
    expect(text(html)).toMatch(/This link does not work/);
  });
});
