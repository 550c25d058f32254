import { type Context, Hono } from 'hono';
import type { WebEnv } from '../env.ts';
import { Field, Notice, PostForm } from '../ui.tsx';
import { parseForm, parseQuery } from '../validate.ts';
import {
  apiError,
  apiFieldErrors,
  badLink,
  checkInbox,
  DISPLAY_NAME_MAX,
  DoneQuery,
  FieldsNotice,
  linkToken,
  PASSWORD_HINT,
  PASSWORD_MAX,
  SignUpForm,
  TokenQuery,
  VerifyForm,
} from './auth-shared.tsx';
import { renderAuth } from './shared.tsx';
/** Sign-up and email verification. */
export function signUpRoutes(): Hono<WebEnv> {
  const app = new Hono<WebEnv>();

  // ---------------------------------------------------------------- sign-up
  const signUpPage = (
    c: Context<WebEnv>,
    opts: {
      values?: Record<string, string>;
      errors?: Record<string, string>;
      error?: string;
      status?: 200 | 400 | 422 | 429 | 503;
    } = {},
  ) =>
    renderAuth(c, {
      title: 'Create an account',
      status: opts.status,
      children: (
        <>
          <h1>Create an account</h1>
          {opts.error ? <Notice tone="error">{opts.error}</Notice> : null}
          <FieldsNotice errors={opts.errors} error={opts.error} />
          <PostForm action="/account/sign-up" csrf={c.get('csrf')} class="form-narrow" aria-label="Create an account">
            <Field
              label="Email address"
              name="email"
              type="email"
              autocomplete="email"
              required
              maxlength={254}
              value={opts.values?.email}
              error={opts.errors?.email}
              hint="We send a link to confirm it."
            />
            <Field
              label="Name (optional)"
              name="displayName"
              autocomplete="name"
              maxlength={DISPLAY_NAME_MAX}
              value={opts.values?.displayName}
              error={opts.errors?.displayName}
              hint="What we call you when you are signed in. You can change it later."
            />
            <Field
              label="Password"
              name="password"
              type="password"
              autocomplete="new-password"
              required
              maxlength={PASSWORD_MAX}
              error={opts.errors?.password}
              hint={PASSWORD_HINT}
            />
            <button type="submit">Create account</button>
          </PostForm>
          <p>
            Already have an account? <a href="/account/sign-in">Sign in</a>
          </p>
        </>
      ),
    });

  app.get('/sign-up', async (c) => {
    const { done } = parseQuery(c, DoneQuery);
    if (done === 'sent') {
      return checkInbox(
        c,
        'If that address can be used for a new account, we have sent it a link to confirm it. The link works for 24 hours.',
        <>
          <p>
            Follow the link in the email to finish creating your account, then sign in. Nothing arrived? Check your spam
            folder, or <a href="/account/sign-up">try again</a> in a few minutes.
          </p>
          <p>
            Already confirmed? <a href="/account/sign-in">Sign in</a> ·{' '}
            <a href="/account/forgot">Forgot your password?</a>
          </p>
        </>,
      );
    }
    return signUpPage(c);
  });

  app.post('/sign-up', async (c) => {
    const form = await parseForm(c, SignUpForm);
    if (!form.ok) return signUpPage(c, { values: form.raw, errors: form.errors, status: 422 });
    const { displayName, ...rest } = form.data;
    const body = displayName ? { ...rest, displayName } : rest;
    const r = await c.get('api').call(c, 'POST', '/api/identity/register', { json: body, credentials: false });
    if (r.ok) return c.redirect('/account/sign-up?done=sent', 303);
    if (r.status === 422) {
      return signUpPage(c, { values: form.raw, errors: apiFieldErrors(r), status: 422 });
    }
    const status = r.status === 429 ? 429 : r.status >= 500 ? 503 : 400;
    return signUpPage(c, {
      values: form.raw,
      error: apiError(r, 'signing up'),
      status,
    });
  });

  // ---------------------------------------------------------------- email verification
  // Identity's emails link to /account/verify-email?token=… (services/identity/src/events.ts).
  app.get('/verify-email', (c) => {
    const { token } = parseQuery(c, TokenQuery);
    return c.redirect(token ? `/account/verify?token=${encodeURIComponent(token)}` : '/account/verify', 302);
  });

  app.get('/verify', (c) => {
    const { token } = parseQuery(c, TokenQuery);
    if (!token || !linkToken.safeParse(token).success) return badLink(c, 'verify');
    // A button, not an automatic change: mail scanners that open links must not use them up.
    return renderAuth(c, {
      title: 'Confirm your email address',
      referrerPolicy: true,
      children: (
        <>
          <h1>Confirm your email address</h1>
          <p>One more step: confirm this address to finish creating your account.</p>
          <PostForm action="/account/verify" csrf={c.get('csrf')} aria-label="Confirm your email address">
            <input type="hidden" name="token" value={token} />
            <button type="submit">Confirm my email address</button>
          </PostForm>
        </>
      ),
    });
  });

  app.post('/verify', async (c) => {
    const form = await parseForm(c, VerifyForm);
    if (!form.ok || !linkToken.safeParse(form.data.token).success) return badLink(c, 'verify');
    const r = await c
      .get('api')
      .call(c, 'POST', '/api/identity/email/verify', { json: { token: form.data.token }, credentials: false });
    if (r.ok) return c.redirect('/account/sign-in?done=verified', 303);
    if (r.status === 400 || r.status === 422) return badLink(c, 'verify');
    return renderAuth(c, {
      title: 'Confirm your email address',
      status: r.status === 429 ? 429 : 503,
      referrerPolicy: true,
      children: (
        <>
          <h1>Confirm your email address</h1>
          <Notice tone="error">{apiError(r, 'confirming')}</Notice>
          <PostForm action="/account/verify" csrf={c.get('csrf')} aria-label="Confirm your email address">
            <input type="hidden" name="token" value={form.data.token} />
            <button type="submit">Try again</button>
          </PostForm>
        </>
      ),
    });
  });

  return app;
}
