import { createRoute, createRouter, z } from '@storefront/kit';
import { forgotPassword, register, resetPassword, verifyEmail } from './accounts.ts';
import type { Identity } from './context.ts';
import { login } from './login.ts';
import { confirmEnrolment, loginWithMfa, startEnrolment } from './mfa.ts';
import { requestMeta } from './request-meta.ts';
import { loginBody, tokenBody } from './respond.ts';
import {
  body,
  ChallengeResponse,
  DisplayName,
  Email,
  json,
  Mode,
  NewPassword,
  Password,
  SecretToken,
  TokenResponse,
} from './schemas.ts';

const tags = ['sign-in'];
const Accepted = z.object({ status: z.literal('accepted') });
const LoginAnswer = z.union([TokenResponse, ChallengeResponse]);
const Code = z.string().regex(/^\d{6}$/);

const routes = {
  register: createRoute({
    method: 'post',
    path: '/register',
    tags,
    summary:
      'Sign up (optionally with a display name); a verification link is emailed (same answer whether or not the address is taken)',
    request: { body: body(z.object({ email: Email, password: NewPassword, displayName: DisplayName.optional() })) },
    responses: { 202: json(Accepted, 'check your inbox') },
  }),
  verify: createRoute({
    method: 'post',
    path: '/email/verify',
    tags,
    summary: 'Follow a verification link',
    request: { body: body(z.object({ token: SecretToken })) },
    responses: { 200: json(z.object({ verified: z.literal(true) }), 'verified; sign in now') },
  }),
  forgot: createRoute({
    method: 'post',
    path: '/password/forgot',
    tags,
    summary: 'Ask for a password reset link (always 202)',
    request: { body: body(z.object({ email: Email })) },
    responses: { 202: json(Accepted, 'if the account exists, a link is on its way') },
  }),
  reset: createRoute({
    method: 'post',
    path: '/password/reset',
    tags,
    summary: 'Set a new password from a reset link; ends every session',
    request: { body: body(z.object({ token: SecretToken, password: NewPassword })) },
    responses: { 204: { description: 'password changed' } },
  }),
  login: createRoute({
    method: 'post',
    path: '/login',
    tags,
    summary: 'Sign in with email and password; staff continue with MFA',
    request: { body: body(z.object({ email: Email, password: Password, mode: Mode })) },
    responses: { 200: json(LoginAnswer, 'tokens, or the MFA step staff must take next') },
  }),
  loginMfa: createRoute({
    method: 'post',
    path: '/login/mfa',
    tags,
    summary: 'Second step for staff: a TOTP code or a recovery code',
    request: {
      body: body(
        z
          .object({
            challenge: SecretToken,
            code: Code.optional(),
            recoveryCode: z.string().min(16).max(24).optional(),
          })
          .refine((b) => (b.code === undefined) !== (b.recoveryCode === undefined), 'send either code or recoveryCode'),
      ),
    },
    responses: { 200: json(TokenResponse, 'signed in with MFA') },
  }),
  enrolStart: createRoute({
    method: 'post',
    path: '/mfa/enrol/start',
    tags,
    summary: 'Staff without MFA: get a TOTP secret for an authenticator app',
    request: { body: body(z.object({ challenge: SecretToken })) },
    responses: { 200: json(z.object({ secret: z.string(), otpauthUri: z.string() }), 'scan or type the secret') },
  }),
  enrolConfirm: createRoute({
    method: 'post',
    path: '/mfa/enrol/confirm',
    tags,
    summary: 'Confirm enrolment with a code; returns one-time recovery codes and a session',
    request: { body: body(z.object({ challenge: SecretToken, code: Code })) },
    responses: {
      200: json(TokenResponse.extend({ recoveryCodes: z.array(z.string()) }), 'MFA enrolled; signed in'),
    },
  }),
};

/** Sign-up, sign-in (with the staff MFA step), email verification and password reset. */
export function authRoutes(idn: Identity) {
  const meta = (c: Parameters<typeof requestMeta>[0]) => requestMeta(c, idn.config.TRUSTED_PROXY_HOPS);
  return createRouter()
    .openapi(routes.register, async (c) => {
      await register(idn, c.req.valid('json'), meta(c));
      return c.json({ status: 'accepted' as const }, 202);
    })
    .openapi(routes.verify, async (c) => {
      await verifyEmail(idn, c.req.valid('json').token, meta(c));
      return c.json({ verified: true as const }, 200);
    })
    .openapi(routes.forgot, async (c) => {
      await forgotPassword(idn, c.req.valid('json').email, meta(c));
      return c.json({ status: 'accepted' as const }, 202);
    })
    .openapi(routes.reset, async (c) => {
      await resetPassword(idn, c.req.valid('json'), meta(c));
      return c.body(null, 204);
    })
    .openapi(routes.login, async (c) => {
      const result = await login(idn, c.req.valid('json'), meta(c));
      return c.json(loginBody(c, idn.config, result, idn.clock()), 200);
    })
    .openapi(routes.loginMfa, async (c) => {
      const result = await loginWithMfa(idn, c.req.valid('json'), meta(c));
      if (result.status !== 'ok') throw new Error('MFA sign-in must end in a session');
      return c.json(tokenBody(c, idn.config, result.tokens, idn.clock()), 200);
    })
    .openapi(routes.enrolStart, async (c) => c.json(await startEnrolment(idn, c.req.valid('json').challenge), 200))
    .openapi(routes.enrolConfirm, async (c) => {
      const { tokens, recoveryCodes } = await confirmEnrolment(idn, c.req.valid('json'), meta(c));
      return c.json({ ...tokenBody(c, idn.config, tokens, idn.clock()), recoveryCodes }, 200);
    });
}
