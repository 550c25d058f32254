import type { Context } from 'hono';
import type { Child } from 'hono/jsx';
import { z } from 'zod';
import type { ApiResult } from '../api.ts';
import type { WebEnv } from '../env.ts';
import { Field, Notice } from '../ui.tsx';
import { authMessage, renderAuth } from './shared.tsx';

/** Identity's rules for a new password (services/identity/src/schemas.ts: NewPassword). */
export const PASSWORD_MIN = 12;
export const PASSWORD_MAX = 128;
export const PASSWORD_HINT = `At least ${PASSWORD_MIN} characters (up to ${PASSWORD_MAX}). A few unrelated words make a strong, memorable password.`;

export const email = z
  .string()
  .trim()
  .min(1, 'Enter your email address')
  .max(254, 'That email address is too long')
  .pipe(z.email('Enter an email address like name@example.com'));
export const newPassword = z
  .string()
  .min(PASSWORD_MIN, `Use at least ${PASSWORD_MIN} characters`)
  .max(PASSWORD_MAX, `Use at most ${PASSWORD_MAX} characters`);
export const anyPassword = z.string().min(1, 'Enter your password').max(PASSWORD_MAX, 'That password is too long');
/** A one-time link token as identity makes them (URL-safe, 16–200 characters). */
export const linkToken = z.string().regex(/^[\w-]{16,200}$/);
export const nextField = z.string().max(500).optional();

/** Identity's display name rules (services/identity/src/schemas.ts: DisplayName); empty means none. */
export const DISPLAY_NAME_MAX = 80;
export const displayName = z
  .string()
  .trim()
  .max(DISPLAY_NAME_MAX, `Use at most ${DISPLAY_NAME_MAX} characters`)
  .regex(/^[^\p{Cc}\u202A-\u202E\u2066-\u2069]*$/u, 'Use letters, spaces and punctuation only');
export const SignUpForm = z.object({ email, password: newPassword, displayName: displayName.optional() });
export const SignInForm = z.object({ email, password: anyPassword, next: nextField });
export const ForgotForm = z.object({ email });
export const ResetForm = z.object({ token: z.string().max(300), password: newPassword });
export const VerifyForm = z.object({ token: z.string().max(300) });
export const CodeForm = z.object({
  code: z
    .string()
    .transform((s) => s.replace(/\s+/g, ''))
    .pipe(z.string().regex(/^\d{6}$/, 'Enter the 6-digit code from your authenticator app')),
  next: nextField,
});
export const RecoveryForm = z.object({
  recoveryCode: z
    .string()
    .trim()
    .min(16, 'Enter one of your recovery codes, like ABCD-EFGH-IJKL-MNOP')
    .max(24, 'Enter one of your recovery codes, like ABCD-EFGH-IJKL-MNOP'),
  next: nextField,
});

export const NextQuery = z.object({ next: z.string().max(2000).optional() });
export const SignInQuery = NextQuery.extend({ done: z.string().max(40).optional() });
export const TokenQuery = z.object({ token: z.string().max(2000).optional() });
export const DoneQuery = z.object({ done: z.string().max(40).optional() });

/** Fixed texts for `?done=` (never echoed). */
export const SIGN_IN_NOTICES: Record<string, string> = {
  verified: 'Your email address is confirmed. Sign in to continue.',
  reset: 'Your password has been changed and every other session was signed out. Sign in with the new password.',
  'signed-out': 'You are signed out.',
  'signed-out-everywhere': 'You are signed out on every device.',
  'mfa-expired': 'That sign-in took too long. Please sign in again.',
};

export interface TokenAnswer {
  status: 'ok';
  sessionId: string;
  expiresIn: number;
  csrfToken?: string;
}
export interface ChallengeAnswer {
  status: 'mfa_required' | 'mfa_enrolment_required';
  challenge: string;
  expiresIn: number;
}

/** After a session starts: one hop whose request carries the new cookies (cart merge), then `next`. */
export function welcomeUrl(next: string): string {
  return next ? `/account/welcome?next=${encodeURIComponent(next)}` : '/account/welcome';
}

/** An emailed link (verify or reset) that is malformed, used or expired. */
export const badLink = (c: Context<WebEnv>, kind: 'verify' | 'reset', status: 200 | 400 = 400) =>
  renderAuth(c, {
    title: 'This link does not work',
    status,
    referrerPolicy: true,
    children: (
      <>
        <h1>This link does not work</h1>
        <Notice tone="error">This link is not valid or has expired. Links work once, for a limited time.</Notice>
        {kind === 'verify' ? (
          <p>
            If you already confirmed your address, <a href="/account/sign-in">sign in</a>. Otherwise{' '}
            <a href="/account/sign-up">sign up again</a> with the same address to get a new link.
          </p>
        ) : (
          <p>
            <a href="/account/forgot">Ask for a new password reset link</a>.
          </p>
        )}
      </>
    ),
  });

/** "Check your inbox" after a link was (maybe) sent: the same answer whatever identity knows. */
export const checkInbox = (c: Context<WebEnv>, notice: string, more: Child) =>
  renderAuth(c, {
    title: 'Check your inbox',
    children: (
      <>
        <h1>Check your inbox</h1>
        <Notice tone="success">{notice}</Notice>
        {more}
      </>
    ),
  });

/** The form-level summary shown when fields are marked (and no other error explains it). */
export function FieldsNotice(props: { errors?: Record<string, string>; error?: string }) {
  return props.errors && Object.keys(props.errors).length > 0 && !props.error ? (
    <Notice tone="error">Please correct the fields marked below.</Notice>
  ) : null;
}

/** The 6-digit authenticator code input (MFA step and enrolment). */
export function CodeField(props: { error?: string }) {
  return (
    <Field
      label="Authenticator code"
      name="code"
      inputmode="numeric"
      autocomplete="one-time-code"
      pattern="[0-9 ]{6,7}"
      maxlength={7}
      required
      error={props.error}
    />
  );
}

/** Identity's refusal in words (the problem, or just the status when there is none). */
export function apiError(r: ApiResult<unknown>, what?: string): string {
  return authMessage(r.problem ?? { status: r.status }, r.headers, what);
}

/** Identity's 401 for a spent or unknown MFA challenge (as opposed to a wrong code): sign in again. */
export function challengeGone(r: ApiResult<unknown>): boolean {
  return r.status === 401 && /expired|sign in again/i.test(r.problem?.detail ?? '');
}

/** A 422 from identity, by form field (`body.email` → `email`). */
export function apiFieldErrors(r: ApiResult<unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of r.problem?.errors ?? []) {
    const field = (e.path ?? e.pointer ?? '').replace(/^\/?(body[./])?/, '').split(/[./]/)[0] ?? '';
    if (field && !out[field]) out[field] = e.message.charAt(0).toUpperCase() + e.message.slice(1);
  }
  if (Object.keys(out).length === 0) out._ = 'Please check the form and try again.';
  return out;
}
