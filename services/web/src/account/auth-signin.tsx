import { type Context, Hono } from 'hono';
import { z } from 'zod';
import type { WebEnv } from '../env.ts';
import { Field, Notice, PostForm } from '../ui.tsx';
import { parseForm, parseQuery } from '../validate.ts';
import {
  apiError,
  apiFieldErrors,
  type ChallengeAnswer,
  CodeField,
  CodeForm,
  challengeGone,
  FieldsNotice,
  NextQuery,
  nextField,
  PASSWORD_MAX,
  RecoveryForm,
  SIGN_IN_NOTICES,
  SignInForm,
  SignInQuery,
  type TokenAnswer,
  welcomeUrl,
} from './auth-shared.tsx';
import { mergeCartAfterSignIn } from './cart-merge.ts';
import { QrCode, qrSvg } from './mfa-qr.tsx';
import {
  clearMfaChallenge,
  clearSessionCookies,
  DEFAULT_NEXT,
  getMfaChallenge,
  isStaff,
  renderAuth,
  safeNext,
  setMfaChallenge,
  signInUrl,
} from './shared.tsx';
/** Sign-in with the staff MFA step and enrolment, the welcome hop, sign-out. */
export function signInRoutes(): Hono<WebEnv> {
  const app = new Hono<WebEnv>();

  // ---------------------------------------------------------------- sign-in
  const signInPage = (
    c: Context<WebEnv>,
    opts: {
      next: string;
      values?: Record<string, string>;
      errors?: Record<string, string>;
      error?: string;
      notice?: string;
      status?: 200 | 401 | 403 | 422 | 429 | 503;
    },
  ) =>
    renderAuth(c, {
      title: 'Sign in',
      status: opts.status,
      children: (
        <>
          <h1>Sign in</h1>
          {opts.notice ? <Notice tone="success">{opts.notice}</Notice> : null}
          {opts.error ? <Notice tone="error">{opts.error}</Notice> : null}
          <FieldsNotice errors={opts.errors} error={opts.error} />
          <PostForm action="/account/sign-in" csrf={c.get('csrf')} class="form-narrow" aria-label="Sign in">
            <input type="hidden" name="next" value={opts.next} />
            <Field
              label="Email address"
              name="email"
              type="email"
              autocomplete="username"
              required
              maxlength={254}
              value={opts.values?.email}
              error={opts.errors?.email}
            />
            <Field
              label="Password"
              name="password"
              type="password"
              autocomplete="current-password"
              required
              maxlength={PASSWORD_MAX}
              error={opts.errors?.password}
            />
            <button type="submit">Sign in</button>
          </PostForm>
          <p>
            <a href="/account/forgot">Forgot your password?</a>
          </p>
          <p>
            New here? <a href="/account/sign-up">Create an account</a>
          </p>
        </>
      ),
    });

  app.get('/sign-in', async (c) => {
    const q = parseQuery(c, SignInQuery);
    const next = safeNext(q.next, '');
    const viewer = c.get('viewer');
    // A signed token whose session was ended elsewhere (sign out everywhere) is not a session: ask.
    const live = viewer ? (await c.get('api').call(c, 'GET', '/api/identity/me')).ok : false;
    if (live) {
      // Never bounce straight back: a page that refuses the session would loop with this one.
      return renderAuth(c, {
        title: 'You are signed in',
        children: (
          <>
            <h1>You are signed in</h1>
            <p>
              <a class="button" href={next || DEFAULT_NEXT}>
                Continue
              </a>
            </p>
            <PostForm action="/account/sign-out" csrf={c.get('csrf')} aria-label="Sign out">
              <button type="submit" class="secondary">
                Sign out to use another account
              </button>
            </PostForm>
          </>
        ),
      });
    }
    return signInPage(c, { next, notice: q.done ? SIGN_IN_NOTICES[q.done] : undefined });
  });

  app.post('/sign-in', async (c) => {
    const form = await parseForm(c, SignInForm);
    const next = safeNext(form.raw.next, '');
    if (!form.ok) return signInPage(c, { next, values: form.raw, errors: form.errors, status: 422 });
    const r = await c.get('api').call<TokenAnswer | ChallengeAnswer>(c, 'POST', '/api/identity/login', {
      json: { email: form.data.email, password: form.data.password, mode: 'cookie' },
      credentials: false,
      relayCookies: true,
    });
    if (r.ok && r.body?.status === 'ok') {
      clearMfaChallenge(c);
      return c.redirect(welcomeUrl(next), 303);
    }
    if (r.ok && (r.body?.status === 'mfa_required' || r.body?.status === 'mfa_enrolment_required')) {
      setMfaChallenge(c, r.body.challenge, r.body.expiresIn);
      const step = r.body.status === 'mfa_required' ? '/account/sign-in/mfa' : '/account/mfa/enrol';
      return c.redirect(next ? `${step}?next=${encodeURIComponent(next)}` : step, 303);
    }
    const values = { email: form.data.email };
    if (r.status === 401 || r.status === 400) {
      // One answer for every wrong email/password pair: no hint whether the account exists.
      return signInPage(c, { next, values, status: 401, error: 'That email address and password do not match.' });
    }
    if (r.status === 403 && r.problem?.code === 'email_unverified') {
      // Identity tells this only to someone who knew the password.
      return signInPage(c, {
        next,
        values,
        status: 403,
        error:
          'Please confirm your email address first: follow the link we sent when you signed up. No email? Sign up again with the same address to get a new link.',
      });
    }
    if (r.status === 422) return signInPage(c, { next, values, errors: apiFieldErrors(r), status: 422 });
    return signInPage(c, {
      next,
      values,
      status: r.status === 429 ? 429 : r.status === 403 ? 403 : 503,
      error: apiError(r),
    });
  });

  // ---------------------------------------------------------------- staff: the MFA step
  const mfaPage = (
    c: Context<WebEnv>,
    opts: { next: string; errors?: Record<string, string>; error?: string; status?: 200 | 401 | 422 | 429 | 503 },
  ) =>
    renderAuth(c, {
      title: 'Two-step verification',
      status: opts.status,
      children: (
        <>
          <h1>Two-step verification</h1>
          {opts.error ? <Notice tone="error">{opts.error}</Notice> : null}
          <p>Open your authenticator app and enter the current 6-digit code for this shop.</p>
          <PostForm action="/account/sign-in/mfa" csrf={c.get('csrf')} class="form-narrow">
            <input type="hidden" name="next" value={opts.next} />
            <CodeField error={opts.errors?.code} />
            <button type="submit">Verify</button>
          </PostForm>
          <details class="acct-recovery" open={Boolean(opts.errors?.recoveryCode)}>
            <summary>Lost your device? Use a recovery code</summary>
            <PostForm action="/account/sign-in/mfa" csrf={c.get('csrf')} class="form-narrow">
              <input type="hidden" name="next" value={opts.next} />
              <Field
                label="Recovery code"
                name="recoveryCode"
                autocomplete="off"
                maxlength={24}
                required
                hint="Each recovery code works once."
                error={opts.errors?.recoveryCode}
              />
              <button type="submit">Verify with recovery code</button>
            </PostForm>
          </details>
          <p>
            <a href={signInUrl(opts.next)}>Start again</a>
          </p>
        </>
      ),
    });

  const noChallenge = (c: Context<WebEnv>, next: string) =>
    c.redirect(`/account/sign-in?done=mfa-expired${next ? `&next=${encodeURIComponent(next)}` : ''}`, 303);

  app.get('/sign-in/mfa', (c) => {
    const next = safeNext(parseQuery(c, NextQuery).next, '');
    if (!getMfaChallenge(c)) return noChallenge(c, next);
    return mfaPage(c, { next });
  });

  app.post('/sign-in/mfa', async (c) => {
    const raw = await parseForm(c, z.object({ next: nextField, recoveryCode: z.string().max(100).optional() }));
    const next = safeNext(raw.raw.next, '');
    const challenge = getMfaChallenge(c);
    if (!challenge) return noChallenge(c, next);
    const useRecovery = raw.raw.recoveryCode !== undefined;
    const form = useRecovery ? await parseForm(c, RecoveryForm) : await parseForm(c, CodeForm);
    if (!form.ok) return mfaPage(c, { next, errors: form.errors, status: 422 });
    const json =
      'recoveryCode' in form.data
        ? { challenge, recoveryCode: form.data.recoveryCode }
        : { challenge, code: form.data.code };
    const r = await c.get('api').call<TokenAnswer>(c, 'POST', '/api/identity/login/mfa', {
      json,
      credentials: false,
      relayCookies: true,
    });
    if (r.ok) {
      clearMfaChallenge(c);
      return c.redirect(welcomeUrl(next), 303);
    }
    if (challengeGone(r)) {
      clearMfaChallenge(c);
      return noChallenge(c, next);
    }
    if (r.status === 401 || r.status === 400 || r.status === 422) {
      const error = useRecovery
        ? 'That recovery code did not work. Check it and try again, or start again with your password.'
        : 'That code did not work. Enter the code your app shows now; if it keeps failing, check the time on your device or start again with your password.';
      return mfaPage(c, {
        next,
        status: 401,
        error,
        errors: useRecovery ? { recoveryCode: 'Not accepted' } : { code: 'Not accepted' },
      });
    }
    return mfaPage(c, {
      next,
      status: r.status === 429 ? 429 : 503,
      error: apiError(r),
    });
  });

  // ---------------------------------------------------------------- staff: MFA enrolment
  const enrolPage = async (
    c: Context<WebEnv>,
    opts: { next: string; error?: string; errors?: Record<string, string>; status?: 200 | 401 | 422 | 429 | 503 },
  ) => {
    const challenge = getMfaChallenge(c);
    if (!challenge) return noChallenge(c, opts.next);
    // Identity keeps the pending secret with the challenge, so asking again shows the same one.
    const r = await c
      .get('api')
      .call<{ secret: string; otpauthUri: string }>(c, 'POST', '/api/identity/mfa/enrol/start', {
        json: { challenge },
        credentials: false,
      });
    if (r.status === 401) {
      clearMfaChallenge(c);
      return noChallenge(c, opts.next);
    }
    if (!r.ok || !r.body?.secret) {
      return renderAuth(c, {
        title: 'Set up two-step verification',
        status: r.status === 429 ? 429 : 503,
        children: (
          <>
            <h1>Set up two-step verification</h1>
            <Notice tone="error">{apiError(r)}</Notice>
            <p>
              <a href={c.req.path}>Try again</a>
            </p>
          </>
        ),
      });
    }
    const { secret, otpauthUri } = r.body;
    const grouped = secret.match(/.{1,4}/g)?.join(' ') ?? secret;
    const qr = await qrSvg(otpauthUri);
    return renderAuth(c, {
      title: 'Set up two-step verification',
      status: opts.status,
      children: (
        <>
          <h1>Set up two-step verification</h1>
          {opts.error ? <Notice tone="error">{opts.error}</Notice> : null}
          <p>Staff accounts sign in with a password and a code from an authenticator app. Set it up once:</p>
          <ol class="acct-steps">
            <li>
              Open your authenticator app (for example Google Authenticator, Microsoft Authenticator, 1Password or
              Aegis) and add an account.
            </li>
            {qr ? (
              <li>
                Scan this QR code with the app:
                <QrCode svg={qr} />
                Cannot scan it? Type the setup key from the next step instead.
              </li>
            ) : null}
            <li>
              Choose to enter a setup key, and type this key (time-based):
              <p class="acct-secret">
                <code data-copy={secret}>{grouped}</code>
              </p>
              On a phone with the app installed you can also{' '}
              <a href={otpauthUri} class="acct-otpauth">
                open the setup link in your authenticator app
              </a>
              .
              <details>
                <summary>Show the full setup link</summary>
                <p class="acct-secret">
                  <code>{otpauthUri}</code>
                </p>
              </details>
            </li>
            <li>Enter the 6-digit code the app now shows.</li>
          </ol>
          <PostForm action="/account/mfa/enrol" csrf={c.get('csrf')} class="form-narrow" aria-label="Confirm the code">
            <input type="hidden" name="next" value={opts.next} />
            <CodeField error={opts.errors?.code} />
            <button type="submit">Turn on two-step verification</button>
          </PostForm>
          <p>
            <a href={signInUrl(opts.next)}>Start again</a>
          </p>
        </>
      ),
    });
  };

  app.get('/mfa/enrol', (c) => enrolPage(c, { next: safeNext(parseQuery(c, NextQuery).next, '') }));

  app.post('/mfa/enrol', async (c) => {
    const form = await parseForm(c, CodeForm);
    const next = safeNext(form.raw.next, '');
    const challenge = getMfaChallenge(c);
    if (!challenge) return noChallenge(c, next);
    if (!form.ok) return enrolPage(c, { next, errors: form.errors, status: 422 });
    const r = await c
      .get('api')
      .call<TokenAnswer & { recoveryCodes: string[] }>(c, 'POST', '/api/identity/mfa/enrol/confirm', {
        json: { challenge, code: form.data.code },
        credentials: false,
        relayCookies: true,
      });
    if (challengeGone(r)) {
      clearMfaChallenge(c);
      return noChallenge(c, next);
    }
    if (r.status === 401 || r.status === 422) {
      return enrolPage(c, {
        next,
        status: 401,
        error: 'That code did not match. Enter the code your app shows now (check the time on your device is right).',
        errors: { code: 'Not accepted' },
      });
    }
    if (r.status === 409) {
      clearMfaChallenge(c);
      return c.redirect(signInUrl(next), 303);
    }
    if (!r.ok) return enrolPage(c, { next, status: 503, error: apiError(r) });
    clearMfaChallenge(c);
    const codes = Array.isArray(r.body?.recoveryCodes) ? r.body.recoveryCodes : [];
    // Shown once, right here (identity keeps only their hashes); the page is never cached.
    return renderAuth(c, {
      title: 'Save your recovery codes',
      children: (
        <>
          <h1>Save your recovery codes</h1>
          <Notice tone="success">Two-step verification is on.</Notice>
          <p>
            If you lose your device, each of these codes signs you in once instead of an authenticator code.{' '}
            <strong>Save them somewhere safe now: they are shown only this once.</strong>
          </p>
          <ul class="acct-codes" aria-label="Recovery codes" data-copy={codes.join('\n')}>
            {codes.map((code) => (
              <li>
                <code>{code}</code>
              </li>
            ))}
          </ul>
          <p>
            <a class="button" href={welcomeUrl(next)}>
              I have saved my codes, continue
            </a>
          </p>
        </>
      ),
    });
  });

  // ---------------------------------------------------------------- after a session starts
  app.get('/welcome', async (c) => {
    const viewer = c.get('viewer');
    const raw = parseQuery(c, NextQuery).next;
    if (!viewer) return c.redirect(signInUrl(safeNext(raw, '')), 303);
    await mergeCartAfterSignIn(c);
    const fallback = isStaff(viewer.roles) && viewer.mfa ? '/admin' : DEFAULT_NEXT;
    return c.redirect(safeNext(raw, fallback), 303);
  });

  // ---------------------------------------------------------------- sign-out
  app.get('/sign-out', (c) => {
    if (!c.get('viewer') && !c.get('sessionExpired')) return c.redirect('/account/sign-in', 303);
    return renderAuth(c, {
      title: 'Sign out',
      children: (
        <>
          <h1>Sign out</h1>
          <PostForm action="/account/sign-out" csrf={c.get('csrf')} aria-label="Sign out">
            <button type="submit">Sign out</button>
          </PostForm>
        </>
      ),
    });
  });

  app.post('/sign-out', async (c) => {
    const r = await c.get('api').call(c, 'POST', '/api/identity/logout', { relayCookies: true });
    // Identity's answer clears its cookies; if it could not be asked, web clears them itself.
    if (!r.ok) clearSessionCookies(c);
    clearMfaChallenge(c);
    return c.redirect('/account/sign-in?done=signed-out', 303);
  });

  return app;
}
