import { type Context, Hono } from 'hono';
import type { WebEnv } from '../env.ts';
import { Field, Notice, PostForm } from '../ui.tsx';
import { parseForm, parseQuery } from '../validate.ts';
import {
  apiError,
  apiFieldErrors,
  badLink,
  checkInbox,
  DoneQuery,
  ForgotForm,
  linkToken,
  PASSWORD_HINT,
  PASSWORD_MAX,
  ResetForm,
  TokenQuery,
} from './auth-shared.tsx';
import { clearSessionCookies, renderAuth } from './shared.tsx';
/** Forgotten password and reset from the emailed link. */
export function passwordRoutes(): Hono<WebEnv> {
  const app = new Hono<WebEnv>();

  // ---------------------------------------------------------------- forgotten password
  const forgotPage = (
    c: Context<WebEnv>,
    opts: {
      values?: Record<string, string>;
      errors?: Record<string, string>;
      error?: string;
      status?: 200 | 422 | 429 | 503;
    } = {},
  ) =>
    renderAuth(c, {
      title: 'Reset your password',
      status: opts.status,
      children: (
        <>
          <h1>Reset your password</h1>
          {opts.error ? <Notice tone="error">{opts.error}</Notice> : null}
          <p>Enter the email address of your account and we will send you a link to choose a new password.</p>
          <PostForm action="/account/forgot" csrf={c.get('csrf')} class="form-narrow" aria-label="Reset your password">
            <Field
              label="Email address"
              name="email"
              type="email"
              autocomplete="email"
              required
              maxlength={254}
              value={opts.values?.email}
              error={opts.errors?.email}
            />
            <button type="submit">Send the reset link</button>
          </PostForm>
          <p>
            <a href="/account/sign-in">Back to sign in</a>
          </p>
        </>
      ),
    });

  app.get('/forgot', (c) => {
    const { done } = parseQuery(c, DoneQuery);
    if (done === 'sent') {
      return checkInbox(
        c,
        'If an account uses that address, we have sent it a link to choose a new password. The link works for 30 minutes.',
        <p>
          <a href="/account/sign-in">Back to sign in</a>
        </p>,
      );
    }
    return forgotPage(c);
  });

  app.post('/forgot', async (c) => {
    const form = await parseForm(c, ForgotForm);
    if (!form.ok) return forgotPage(c, { values: form.raw, errors: form.errors, status: 422 });
    const r = await c
      .get('api')
      .call(c, 'POST', '/api/identity/password/forgot', { json: form.data, credentials: false });
    if (r.ok) return c.redirect('/account/forgot?done=sent', 303);
    if (r.status === 422) return forgotPage(c, { values: form.raw, errors: apiFieldErrors(r), status: 422 });
    return forgotPage(c, {
      values: form.raw,
      status: r.status === 429 ? 429 : 503,
      error: apiError(r, 'password resets'),
    });
  });

  // ---------------------------------------------------------------- reset from the emailed link
  // Identity's emails link to /account/reset-password?token=… (services/identity/src/events.ts).
  app.get('/reset-password', (c) => {
    const { token } = parseQuery(c, TokenQuery);
    return c.redirect(token ? `/account/reset?token=${encodeURIComponent(token)}` : '/account/reset', 302);
  });

  const resetPage = (
    c: Context<WebEnv>,
    opts: { token: string; errors?: Record<string, string>; error?: string; status?: 200 | 422 | 429 | 503 },
  ) =>
    renderAuth(c, {
      title: 'Choose a new password',
      status: opts.status,
      referrerPolicy: true,
      children: (
        <>
          <h1>Choose a new password</h1>
          {opts.error ? <Notice tone="error">{opts.error}</Notice> : null}
          <PostForm action="/account/reset" csrf={c.get('csrf')} class="form-narrow">
            <input type="hidden" name="token" value={opts.token} />
            <Field
              label="New password"
              name="password"
              type="password"
              autocomplete="new-password"
              required
              maxlength={PASSWORD_MAX}
              hint={`${PASSWORD_HINT} Every device signed in to your account will be signed out.`}
              error={opts.errors?.password}
            />
            <button type="submit">Change password</button>
          </PostForm>
        </>
      ),
    });

  app.get('/reset', (c) => {
    const { token } = parseQuery(c, TokenQuery);
    if (!token || !linkToken.safeParse(token).success) return badLink(c, 'reset');
    return resetPage(c, { token });
  });

  app.post('/reset', async (c) => {
    const form = await parseForm(c, ResetForm);
    const token = form.raw.token ?? '';
    if (!linkToken.safeParse(token).success) return badLink(c, 'reset');
    if (!form.ok) return resetPage(c, { token, errors: form.errors, status: 422 });
    const r = await c
      .get('api')
      .call(c, 'POST', '/api/identity/password/reset', { json: form.data, credentials: false });
    if (r.ok) {
      // Every session ended, this browser's too.
      clearSessionCookies(c);
      return c.redirect('/account/sign-in?done=reset', 303);
    }
    if (r.status === 400) return badLink(c, 'reset');
    if (r.status === 422) return resetPage(c, { token, errors: apiFieldErrors(r), status: 422 });
    return resetPage(c, {
      token,
      status: r.status === 429 ? 429 : 503,
      error: apiError(r, 'password changes'),
    });
  });

  return app;
}
