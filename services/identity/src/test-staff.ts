import { bootstrapAdmin } from './staff.ts';
import { type Harness, RESET } from './test-harness.ts';

export interface StaffLogin {
  readonly id: string;
  readonly accessToken: string;
  readonly refreshToken: string;
  readonly secret: string;
  readonly recoveryCodes: readonly string[];
}

/** Password step, then enrolment (first time) or a TOTP code; each code from a fresh step. */
export async function staffSignIn(h: Harness, email: string, password: string, secret?: string): Promise<StaffLogin> {
  const first = await h.call('POST', '/login', { body: { email, password } });
  if (first.status !== 200) throw new Error(`staff login failed: ${first.status} ${JSON.stringify(first.body)}`);
  if (first.body.status === 'mfa_enrolment_required') {
    const start = await h.call('POST', '/mfa/enrol/start', { body: { challenge: first.body.challenge } });
    const confirm = await h.call('POST', '/mfa/enrol/confirm', {
      body: { challenge: first.body.challenge, code: h.totp(start.body.secret) },
    });
    if (confirm.status !== 200) throw new Error(`enrolment failed: ${confirm.status} ${JSON.stringify(confirm.body)}`);
    const me = await h.call('GET', '/me', { token: confirm.body.accessToken });
    return { id: me.body.id, ...confirm.body, secret: start.body.secret };
  }
  if (!secret) throw new Error('this staff member has MFA: pass the secret');
  h.advance(30_000);
  const second = await h.call('POST', '/login/mfa', {
    body: { challenge: first.body.challenge, code: h.totp(secret) },
  });
  if (second.status !== 200) throw new Error(`mfa step failed: ${second.status} ${JSON.stringify(second.body)}`);
  const me = await h.call('GET', '/me', { token: second.body.accessToken });
  return { id: me.body.id, ...second.body, secret, recoveryCodes: [] };
}

export const ADMIN = { email: 'root@shop.test', password: 'bootstrap admin password' };

/** The first admin, from config, signed in with MFA enrolled. */
export async function bootstrapAndSignIn(h: Harness): Promise<StaffLogin> {
  await bootstrapAdmin(h.identity, ADMIN.email, ADMIN.password);
  return staffSignIn(h, ADMIN.email, ADMIN.password);
}

/** An admin invites a staff member, who sets a password from the link and enrols. */
export async function inviteStaff(h: Harness, admin: StaffLogin, email: string, roles: string[]) {
  const invite = await h.call('POST', '/staff', { token: admin.accessToken, body: { email, roles } });
  if (invite.status !== 201) throw new Error(`invite failed: ${invite.status} ${JSON.stringify(invite.body)}`);
  const password = 'staff member password';
  const reset = await h.call('POST', '/password/reset', { body: { token: await h.linkToken(email, RESET), password } });
  if (reset.status !== 204) throw new Error(`set password failed: ${reset.status}`);
  return { id: invite.body.id as string, email, password };
}
