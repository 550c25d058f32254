import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prefixEnd } from './store-account-search.ts';
import { type Harness, startIdentity } from './test-harness.ts';
import { bootstrapAndSignIn, inviteStaff, type StaffLogin, staffSignIn } from './test-staff.ts';

/** GET /accounts and GET /accounts/{id}: the staff reads behind the admin console's customers pages. */
describe('staff account search and detail', () => {
  let h: Harness;
  let admin: StaffLogin;
  let support: StaffLogin;
  let merch: StaffLogin;
  let ada: Awaited<ReturnType<Harness['customer']>>;
  beforeAll(async () => {
    h = await startIdentity();
    admin = await bootstrapAndSignIn(h);
    const s = await inviteStaff(h, admin, 'help@shop.test', ['support']);
    support = await staffSignIn(h, s.email, s.password);
    const m = await inviteStaff(h, admin, 'merch@shop.test', ['merchandiser']);
    merch = await staffSignIn(h, m.email, m.password);
    ada = await h.customer('ada@example.test');
    await h.customer('ada.lovelace@example.test');
    await h.customer('bob@example.test');
    // Five "c…" customers for the paging test, created straight in the table (hashing is not the point here).
    for (const n of [1, 2, 3, 4, 5]) {
      await h.db.query(
        `INSERT INTO accounts (id, email, roles, created_at, updated_at) VALUES ($1, $2, '{customer}', now(), now())`,
        [crypto.randomUUID(), `c${n}@example.test`],
      );
    }
  });
  afterAll(() => h.close());

  const get = (path: string, token = support.accessToken) => h.call('GET', path, { token });

  it('shows the name a customer gave, in the list and on the account', async () => {
    await h.db.query(`UPDATE accounts SET display_name = 'Ada L.' WHERE id = $1`, [ada.id]);
    const list = await get('/accounts?email=ada@');
    expect(list.body.items).toEqual([expect.objectContaining({ id: ada.id, displayName: 'Ada L.' })]);
    expect((await get(`/accounts/${ada.id}`)).body).toMatchObject({ id: ada.id, displayName: 'Ada L.' });
    expect((await get('/accounts?email=bob@')).body.items[0]).toMatchObject({ displayName: null });
  });

  it('finds accounts by email prefix, case-insensitively, in email order, without any secret', async () => {
    const r = await get('/accounts?email=ADA');
    expect(r.status).toBe(200);
    expect(r.body.items.map((a: { email: string }) => a.email)).toEqual([
      'ada.lovelace@example.test',
      'ada@example.test',
    ]);
    expect(r.body.items[1]).toMatchObject({
      id: ada.id,
      roles: ['customer'],
      emailVerified: true,
      mfaEnabled: false,
      disabled: false,
    });
    const text = JSON.stringify((await get('/accounts?limit=200', admin.accessToken)).body);
    expect(text).not.toMatch(/argon2|password|secret|hash|recovery/i);
    // A prefix that matches nothing, and "%" or "_" that are not wildcards.
    expect((await get('/accounts?email=zz')).body.items).toEqual([]);
    expect((await get('/accounts?email=%25')).body.items).toEqual([]);
    expect((await get('/accounts?email=_')).body.items).toEqual([]);
  });

  it('filters by role', async () => {
    const staff = await get('/accounts?role=support');
    expect(staff.body.items.map((a: { email: string }) => a.email)).toEqual(['help@shop.test']);
    const admins = await get('/accounts?role=admin');
    expect(admins.body.items).toHaveLength(1);
    expect(admins.body.items[0]).toMatchObject({ id: admin.id, mfaEnabled: true });
    const customersC = await get('/accounts?role=customer&email=c');
    expect(customersC.body.items).toHaveLength(5);
  });

  it('pages with a keyset cursor: every account once, in order; a forged cursor is a 422', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<typeof get>> = await get(
        `/accounts?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.items.map((a: { email: string }) => a.email));
      cursor = page.body.nextCursor;
    } while (cursor);
    const all = await h.db.query<{ email: string }>('SELECT email FROM accounts ORDER BY email COLLATE "C"');
    expect(seen).toEqual(all.rows.map((r) => r.email));
    expect((await get('/accounts?cursor=bogus')).status).toBe(422);
    expect((await get(`/accounts?cursor=${Buffer.from('x:1').toString('base64url')}`)).status).toBe(422);
  });

  it('shows one account: roles, verified, MFA, created, last sign-in and live sessions', async () => {
    const r = await get(`/accounts/${ada.id}`);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      id: ada.id,
      email: 'ada@example.test',
      roles: ['customer'],
      emailVerified: true,
      mfaEnabled: false,
      liveSessions: 1,
    });
    expect(Date.parse(r.body.lastSignInAt)).toBeGreaterThan(Date.parse(r.body.createdAt) - 1000);
    expect(JSON.stringify(r.body)).not.toMatch(/argon2|password|secret|hash/i);
    const staff = await get(`/accounts/${admin.id}`, admin.accessToken);
    expect(staff.body).toMatchObject({ roles: ['admin'], mfaEnabled: true });
    expect(staff.body.mfaEnabledAt).toBeTruthy();

    await h.call('POST', `/accounts/${ada.id}/sessions/revoke`, { token: support.accessToken });
    expect((await get(`/accounts/${ada.id}`)).body.liveSessions).toBe(0);
    expect((await get('/accounts/00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await get('/accounts/not-a-uuid')).status).toBe(422);
  });

  it('a customer gets 403, a merchandiser 403, no token 401', async () => {
    const bob = await h.customer('bob2@example.test');
    expect((await get('/accounts', bob.accessToken)).status).toBe(403);
    expect((await get(`/accounts/${bob.id}`, bob.accessToken)).status).toBe(403);
    expect((await get('/accounts', merch.accessToken)).status).toBe(403);
    expect((await h.call('GET', '/accounts')).status).toBe(401);
    expect((await h.call('GET', `/accounts/${bob.id}`)).status).toBe(401);
  });

  it('staff whose token has no second factor are refused (403)', async () => {
    // Identity never issues such a token to staff; sign one for the support member's live session.
    const claims = JSON.parse(Buffer.from(support.accessToken.split('.')[1] ?? '', 'base64url').toString());
    const { token } = await h.identity.keys.sign({
      sub: support.id,
      sid: claims.sid,
      roles: ['support'],
      mfa: false,
      amr: ['pwd'],
      jti: crypto.randomUUID(),
    });
    expect((await get('/accounts', token)).status).toBe(403);
    expect((await get(`/accounts/${ada.id}`, token)).status).toBe(403);
  });

  it('every search and view is in the audit log', async () => {
    const log = await h.call('GET', `/audit?actor=${support.id}&limit=200`, { token: admin.accessToken });
    const actions = log.body.items.map((e: { action: string }) => e.action);
    expect(actions).toContain('account.search');
    expect(actions).toContain('account.view');
    const view = log.body.items.find((e: { action: string }) => e.action === 'account.view');
    expect(view.target).toEqual({ type: 'account', id: ada.id });
  });

  it('never answers 5xx to arbitrary queries', async () => {
    const value = fc.oneof(
      fc.string({ maxLength: 300 }),
      fc.constantFrom('admin', 'customer', 'root', '', '%', '_', '\\', "'", '~', 'ada@', 'ZZZ'),
      fc.integer().map(String),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(fc.constantFrom('email', 'role', 'cursor', 'limit', 'other'), value, { maxKeys: 4 }),
        fc.constantFrom('support', 'customer', 'none'),
        async (query, who) => {
          const qs = new URLSearchParams(query).toString();
          const token = who === 'support' ? support.accessToken : who === 'customer' ? ada.accessToken : undefined;
          const r = await h.call('GET', `/accounts?${qs}`, token ? { token } : {});
          expect(r.status, `${qs} → ${JSON.stringify(r.body)}`).toBeLessThan(500);
          if (r.status === 200) expect(r.body.items.length).toBeLessThanOrEqual(200);
        },
      ),
      { numRuns: 150 },
    );
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.uuid(), fc.string({ maxLength: 80 })), async (id) => {
        const r = await h.call('GET', `/accounts/${encodeURIComponent(id)}`, { token: support.accessToken });
        expect(r.status).toBeLessThan(500);
      }),
      { numRuns: 80 },
    );
  });

  it('prefixEnd bounds exactly the strings with the prefix (byte order)', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom(...'!~az09.@_-'.split('')), minLength: 1, maxLength: 6 }),
        fc.string({ unit: fc.constantFrom(...'!~az09.@_-'.split('')), maxLength: 6 }),
        (prefix, other) => {
          const end = prefixEnd(prefix);
          const inRange = other >= prefix && other < end;
          expect(inRange).toBe(other.startsWith(prefix));
        },
      ),
    );
  });
});
