import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startIdentity } from './test-harness.ts';
import { ADMIN, bootstrapAndSignIn, inviteStaff, type StaffLogin, staffSignIn } from './test-staff.ts';

describe('staff: bootstrap, MFA enrolment and sign-in, administration, audit', () => {
  let h: Harness;
  let admin: StaffLogin;
  beforeAll(async () => {
    h = await startIdentity();
    admin = await bootstrapAndSignIn(h);
  });
  afterAll(() => h.close());

  it('bootstraps one admin from config, once', async () => {
    const { bootstrapAdmin } = await import('./staff.ts');
    expect(await bootstrapAdmin(h.identity, 'second@shop.test', 'another admin password')).toBe(false);
    const admins = await h.db.query(`SELECT email FROM accounts WHERE 'admin' = ANY (roles)`);
    expect(admins.rows).toEqual([{ email: ADMIN.email }]);
  });

  it('enrolment gave an MFA session with amr pwd+otp and ten recovery codes', async () => {
    const me = await h.call('GET', '/me', { token: admin.accessToken });
    expect(me.body).toMatchObject({ roles: ['admin'], mfaEnabled: true, mfa: true });
    expect(admin.recoveryCodes).toHaveLength(10);
    const payload = JSON.parse(Buffer.from(admin.accessToken.split('.')[1] ?? '', 'base64url').toString());
    expect(payload).toMatchObject({ mfa: true, amr: ['pwd', 'otp'], roles: ['admin'] });
    expect(payload.exp - payload.iat).toBeLessThanOrEqual(900);
  });

  it('a staff member without MFA gets only an enrolment challenge, never a token', async () => {
    const s = await inviteStaff(h, admin, 'merch@shop.test', ['merchandiser']);
    const login = await h.call('POST', '/login', { body: { email: s.email, password: s.password } });
    expect(login.body.status).toBe('mfa_enrolment_required');
    expect(login.body.accessToken).toBeUndefined();
    // The challenge is not an access token anywhere.
    expect((await h.call('GET', '/me', { token: login.body.challenge })).status).toBe(401);
    // Nor does it open the verify step.
    const wrongStep = await h.call('POST', '/login/mfa', { body: { challenge: login.body.challenge, code: '123456' } });
    expect(wrongStep.status).toBe(401);
  });

  it('signs in with TOTP; a replayed code and a wrong code are refused; recovery codes are single use', async () => {
    h.advance(30_000);
    const first = await h.call('POST', '/login', { body: ADMIN });
    expect(first.body.status).toBe('mfa_required');
    const code = h.totp(admin.secret);
    const ok = await h.call('POST', '/login/mfa', { body: { challenge: first.body.challenge, code } });
    expect(ok.status).toBe(200);

    const second = await h.call('POST', '/login', { body: ADMIN });
    const replay = await h.call('POST', '/login/mfa', { body: { challenge: second.body.challenge, code } });
    expect(replay.status).toBe(401);
    const wrong = await h.call('POST', '/login/mfa', { body: { challenge: second.body.challenge, code: '000000' } });
    expect(wrong.status).toBe(401);

    const recovery = admin.recoveryCodes[0] ?? '';
    const viaRecovery = await h.call('POST', '/login/mfa', {
      body: { challenge: second.body.challenge, recoveryCode: recovery },
    });
    expect(viaRecovery.status).toBe(200);
    const third = await h.call('POST', '/login', { body: ADMIN });
    const again = await h.call('POST', '/login/mfa', {
      body: { challenge: third.body.challenge, recoveryCode: recovery },
    });
    expect(again.status).toBe(401);
  });

  it('admin changes roles (sessions end), resets MFA, revokes sessions; a customer and a non-admin are refused', async () => {
    const s = await inviteStaff(h, admin, 'support@shop.test', ['support']);
    const support = await staffSignIn(h, s.email, s.password);
    const customer = await h.customer('shopper@shop.test');

    const asSupport = await h.call('PUT', `/accounts/${customer.id}/roles`, {
      token: support.accessToken,
      body: { roles: ['fulfillment'] },
    });
    expect(asSupport.status).toBe(403);
    expect((await h.call('GET', '/audit', { token: customer.accessToken })).status).toBe(403);
    expect((await h.call('POST', '/keys/rotate', { token: customer.accessToken })).status).toBe(403);

    const change = await h.call('PUT', `/accounts/${customer.id}/roles`, {
      token: admin.accessToken,
      body: { roles: ['customer', 'fulfillment'] },
    });
    expect(change.status).toBe(200);
    expect((await h.call('GET', '/me', { token: customer.accessToken })).status).toBe(401);
    const self = await h.call('PUT', `/accounts/${admin.id}/roles`, {
      token: admin.accessToken,
      body: { roles: ['support'] },
    });
    expect(self.status).toBe(422);

    const revoke = await h.call('POST', `/accounts/${customer.id}/sessions/revoke`, { token: support.accessToken });
    expect(revoke.status).toBe(200);
    expect((await h.call('POST', `/accounts/${s.id}/mfa/reset`, { token: admin.accessToken })).status).toBe(204);
    expect((await h.call('GET', '/me', { token: support.accessToken })).status).toBe(401);
    const relogin = await h.call('POST', '/login', { body: { email: s.email, password: s.password } });
    expect(relogin.body.status).toBe('mfa_enrolment_required');
  });

  it('records every staff action and security event, readable by admin/support with filters and a cursor', async () => {
    const all = await h.call('GET', '/audit?limit=200', { token: admin.accessToken });
    expect(all.status).toBe(200);
    const actions = new Set(all.body.items.map((e: { action: string }) => e.action));
    for (const a of [
      'account.bootstrap-admin',
      'mfa.enrol',
      'login.success',
      'mfa.failure',
      'mfa.recovery-code-used',
      'staff.create',
      'password.reset',
      'role.change',
      'session.revoke',
      'mfa.disable',
    ]) {
      expect(actions, a).toContain(a);
    }
    const roleChange = all.body.items.find((e: { action: string }) => e.action === 'role.change');
    expect(roleChange).toMatchObject({ actor: { type: 'account', id: admin.id }, target: { type: 'account' } });
    expect(roleChange.details).toMatchObject({ to: ['customer', 'fulfillment'] });
    expect(roleChange.ip).toBe('203.0.113.7');
    expect(roleChange.requestId).toBeTruthy();

    const mine = await h.call('GET', `/audit?actor=${admin.id}&action=login.success`, { token: admin.accessToken });
    expect(mine.body.items.length).toBeGreaterThan(0);
    expect(mine.body.items.every((e: { actor: { id: string } }) => e.actor.id === admin.id)).toBe(true);

    const page1 = await h.call('GET', '/audit?limit=3', { token: admin.accessToken });
    expect(page1.body.items).toHaveLength(3);
    const page2 = await h.call('GET', `/audit?limit=3&cursor=${page1.body.nextCursor}`, { token: admin.accessToken });
    const ids1 = page1.body.items.map((e: { id: string }) => e.id);
    expect(page2.body.items.some((e: { id: string }) => ids1.includes(e.id))).toBe(false);
    expect((await h.call('GET', '/audit?cursor=bogus', { token: admin.accessToken })).status).toBe(422);
    const future = await h.call('GET', `/audit?from=${encodeURIComponent('2999-01-01T00:00:00Z')}`, {
      token: admin.accessToken,
    });
    expect(future.body.items).toEqual([]);
  });

  it('the audit log cannot be changed: no route does it, and the trigger refuses UPDATE, DELETE and TRUNCATE', async () => {
    for (const method of ['PUT', 'PATCH', 'DELETE', 'POST']) {
      const r = await h.call(method, '/audit', { token: admin.accessToken, body: {} });
      expect([404, 405]).toContain(r.status);
    }
    const doc = await h.call('GET', '/openapi.json');
    expect(Object.keys(doc.body.paths['/audit'])).toEqual(['get']);
    await expect(h.db.query(`UPDATE audit_log SET action = 'nothing'`)).rejects.toThrow(/append-only/);
    await expect(h.db.query('DELETE FROM audit_log')).rejects.toThrow(/append-only/);
    await expect(h.db.query('TRUNCATE audit_log')).rejects.toThrow(/append-only/);
  });
});
