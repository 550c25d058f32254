import jsqrModule from 'jsqr';
import { describe, expect, it } from 'vitest';
import { CHALLENGE } from './auth-fixtures.ts';
import { qrSvg } from './mfa-qr.tsx';
import { signedIn } from './order-fixtures.ts';
import { accountApp, guestForm, json, problem, text } from './test-support.ts';

/** The optional name (sign-up, greeting, edit) and the QR code of the MFA enrolment page. */

// jsqr is CommonJS with an ES default export: the function itself or under `default`, by loader.
type Decode = (data: Uint8ClampedArray, width: number, height: number) => { data: string } | null;
const loaded = jsqrModule as unknown as Decode | { default: Decode };
const jsQR: Decode = typeof loaded === 'function' ? loaded : loaded.default;

const ME = {
  id: 'acct-1',
  email: 'ada@shop.test',
  roles: ['customer'],
  emailVerified: true,
  mfaEnabled: false,
  mfa: false,
};

describe('sign-up with an optional name', () => {
  it('has a labelled, optional Name field and sends the trimmed name only when one is given', async () => {
    const bodies: unknown[] = [];
    const { app, calls } = await accountApp([
      [
        'POST /api/identity/register',
        (call) => {
          bodies.push(call.body);
          return json(202, { status: 'accepted' });
        },
      ],
    ]);
    const html = await (await app.request('/account/sign-up')).text();
    expect(html).toMatch(/<label for="f-displayName">Name \(optional\)<\/label>/);
    expect(html).toMatch(/<input[^>]*name="displayName"[^>]*>/);
    expect(html.match(/<input[^>]*name="displayName"[^>]*>/)?.[0]).not.toContain('required');

    const form = await guestForm(app, '/account/sign-up');
    const named = await form.post('/account/sign-up', {
      email: 'ada@shop.test',
      password: 'correct horse battery',
      displayName: '  Ada Lovelace ',
    });
    expect(named.headers.get('location')).toBe('/account/sign-up?done=sent');
    const unnamed = await form.post('/account/sign-up', {
      email: 'bob@shop.test',
      password: 'correct horse battery',
      displayName: '',
    });
    expect(unnamed.status).toBe(303);
    expect(bodies).toEqual([
      { email: 'ada@shop.test', password: 'correct horse battery', displayName: 'Ada Lovelace' },
      { email: 'bob@shop.test', password: 'correct horse battery' },
    ]);

    // Too long or with control characters: explained next to the field, identity not asked.
    const before = calls.length;
    const long = await form.post('/account/sign-up', {
      email: 'cy@shop.test',
      password: 'correct horse battery',
      displayName: 'x'.repeat(81),
    });
    expect(long.status).toBe(422);
    const page = await long.text();
    expect(page).toMatch(/id="f-displayName-err"[^>]*>[^<]*at most 80 characters/);
    expect(page).toContain('aria-invalid="true"');
    expect(page).toContain('value="cy@shop.test"');
    const bell = await form.post('/account/sign-up', {
      email: 'cy@shop.test',
      password: 'correct horse battery',
      displayName: 'ding\u0007',
    });
    expect(bell.status).toBe(422);
    expect(calls.slice(before).filter((c) => c.path === '/api/identity/register')).toEqual([]);
  });

  it("shows identity's refusal of the name next to the field", async () => {
    const { app } = await accountApp([
      [
        'POST /api/identity/register',
        () =>
          problem(422, 'invalid', {
            errors: [{ path: 'displayName', message: 'no control or bidirectional-override characters' }],
          }),
      ],
    ]);
    const form = await guestForm(app, '/account/sign-up');
    const res = await form.post('/account/sign-up', {
      email: 'ada@shop.test',
      password: 'correct horse battery',
      displayName: 'Ada',
    });
    expect(res.status).toBe(422);
    expect(await res.text()).toMatch(/id="f-displayName-err"[^>]*>[^<]*No control or bidirectional-override/);
  });
});

describe('the account greets by name', () => {
  it('says hello with the name, or shows none given; the name is escaped', async () => {
    let me: Record<string, unknown> = { ...ME, displayName: 'Ada <b>Lovelace</b>' };
    const { get } = await signedIn([['GET /api/identity/me', () => json(200, me)]]);
    const html = await (await get('/account')).text();
    expect(html).toContain('<h1>Your account</h1>');
    expect(html).toContain('Hello, Ada &lt;b&gt;Lovelace&lt;/b&gt;.');
    expect(html).not.toContain('<b>Lovelace</b>');
    expect(text(html)).toMatch(/Name Ada &lt;b&gt;Lovelace&lt;\/b&gt; Email address/);
    me = { ...ME, displayName: null };
    const none = text(await (await get('/account')).text());
    expect(none).not.toMatch(/Hello,/);
    expect(none).toMatch(/Name Not given/);
  });

  it('saves, clears and validates the name through PATCH /api/identity/me', async () => {
    const patches: unknown[] = [];
    const { get, post } = await signedIn([
      ['GET /api/identity/me', () => json(200, { ...ME, displayName: 'Ada' })],
      [
        'PATCH /api/identity/me',
        (call) => {
          patches.push(call.body);
          const name = (call.body as { displayName: string | null }).displayName;
          if (name === 'Mallory') {
            return problem(422, 'invalid', { errors: [{ path: 'displayName', message: 'not that one' }] });
          }
          return json(200, { ...ME, displayName: name });
        },
      ],
    ]);
    const saved = await post('/account/profile', { displayName: ' Ada King ' });
    expect(saved.status).toBe(303);
    expect(saved.headers.get('location')).toBe('/account?done=name');
    expect(text(await (await get('/account?done=name')).text())).toMatch(/Your name is saved\./);
    const cleared = await post('/account/profile', { displayName: '   ' });
    expect(cleared.headers.get('location')).toBe('/account?done=name-cleared');
    const refused = await post('/account/profile', { displayName: 'Mallory' });
    expect(refused.status).toBe(422);
    const page = await refused.text();
    expect(page).toMatch(/id="f-displayName-err"[^>]*>[^<]*Not that one/);
    expect(page).toContain('value="Mallory"');
    const tooLong = await post('/account/profile', { displayName: 'y'.repeat(81) });
    expect(tooLong.status).toBe(422);
    expect(patches).toEqual([{ displayName: 'Ada King' }, { displayName: null }, { displayName: 'Mallory' }]);
    // A forged post (no CSRF token) changes nothing.
    expect((await post('/account/profile', { displayName: 'Eve' }, 'forged')).status).toBe(403);
    expect(patches).toHaveLength(3);
  });
});

/** Reads the qrcode package's SVG path (M x y / m dx 0 / h n, one row per y) back into dark modules. */
function modulesOf(svg: string): { size: number; dark: Set<string> } {
  const size = Number(svg.match(/viewBox="0 0 (\d+) \d+"/)?.[1]);
  const d = svg.match(/<path stroke="[^"]+" d="([^"]+)"/)?.[1] ?? '';
  const dark = new Set<string>();
  let x = 0;
  let y = 0;
  for (const [, cmd, a, b] of d.matchAll(/([Mmh])(-?[\d.]+)(?: (-?[\d.]+))?/g)) {
    const n = Number(a);
    if (cmd === 'M') [x, y] = [n, Math.floor(Number(b))];
    else if (cmd === 'm') x += n;
    else {
      for (let i = 0; i < n; i++) dark.add(`${x + i},${y}`);
      x += n;
    }
  }
  return { size, dark };
}

/** Decodes the SVG as a phone would see it: drawn at 4 px per module, then read by jsQR. */
function decode(svg: string): string | undefined {
  const { size, dark } = modulesOf(svg);
  const scale = 4;
  const w = size * scale;
  const px = new Uint8ClampedArray(w * w * 4);
  for (let py = 0; py < w; py++) {
    for (let pxX = 0; pxX < w; pxX++) {
      const v = dark.has(`${Math.floor(pxX / scale)},${Math.floor(py / scale)}`) ? 0 : 255;
      px.set([v, v, v, 255], (py * w + pxX) * 4);
    }
  }
  return jsQR(px, w, w)?.data;
}

describe('the MFA enrolment page has a QR code', () => {
  const secret = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
  const uri = `otpauth://totp/Storefront:admin%40shop.test?secret=${secret}&issuer=Storefront&algorithm=SHA1&digits=6&period=30`;

  it('draws the otpauth link as an inline SVG that decodes back to it, labelled, without style attributes', async () => {
    const svg = await qrSvg(uri);
    expect(svg).toBeDefined();
    expect(decode(svg as string)).toBe(uri);
    expect(svg).toMatch(/^<svg role="img" aria-label="[^"]+"/);
    expect(svg).not.toMatch(/style=|<script|on\w+=/i);
    // Only otpauth links: anything else is not drawn (the page keeps the typed key).
    expect(await qrSvg('https://evil.example/')).toBeUndefined();
    expect(await qrSvg('otpauth://totp/x"><script>alert(1)</script>')).toBeUndefined();
  });

  it('shows the QR code and keeps the setup key and link for manual entry', async () => {
    const { app } = await accountApp([
      ['POST /api/identity/mfa/enrol/start', () => json(200, { secret, otpauthUri: uri })],
    ]);
    const res = await app.request('/account/mfa/enrol?next=%2Fadmin', { headers: { cookie: `sf_mfa=${CHALLENGE}` } });
    expect(res.status).toBe(200);
    const html = await res.text();
    const svg = html.match(/<svg[\s\S]*?<\/svg>/)?.[0] ?? '';
    expect(svg).toMatch(/role="img"/);
    expect(svg).toMatch(/aria-label="QR code of the setup link[^"]*"/);
    expect(decode(svg)).toBe(uri);
    expect(html).toContain(`data-copy="${secret}"`);
    expect(text(html)).toContain('JBSW Y3DP EHPK 3PXP');
    expect(html).toContain(`href="${uri.replace(/&/g, '&amp;')}"`);
    expect(text(html)).toMatch(/Scan this QR code with the app/);
  });
});
