import { type Context, Hono } from 'hono';
import { z } from 'zod';
import { ApiError } from '../api.ts';
import type { WebEnv } from '../env.ts';
import { Field, Notice, PostForm } from '../ui.tsx';
import { parseForm, parseQuery } from '../validate.ts';
import { apiFieldErrors, DISPLAY_NAME_MAX, displayName } from './auth-shared.tsx';
import { isStaff, renderAccount } from './shared.tsx';

interface Me {
  id: string;
  email: string;
  roles: string[];
  /** Identity's optional display name (null when none was given). */
  displayName?: string | null;
  emailVerified: boolean;
  mfaEnabled: boolean;
  mfa: boolean;
}

const ROLE_NAMES: Record<string, string> = {
  customer: 'Customer',
  support: 'Support',
  merchandiser: 'Merchandiser',
  fulfillment: 'Fulfillment',
  admin: 'Administrator',
};

const DONE: Record<string, string> = {
  name: 'Your name is saved.',
  'name-cleared': 'Your name is removed.',
};
const NameForm = z.object({ displayName });

/** The account overview: who is signed in (greeted by name when they gave one), and where to go from here. */
export function overviewRoutes(): Hono<WebEnv> {
  const app = new Hono<WebEnv>();

  const page = async (c: Context<WebEnv>, form?: { value: string; error: string }) => {
    const { done } = form ? { done: undefined } : parseQuery(c, z.object({ done: z.string().max(40).optional() }));
    const me = await c.get('api').get<Me>(c, '/api/identity/me');
    const staff = isStaff(me.roles);
    const name = me.displayName ?? null;
    return renderAccount(c, {
      title: 'Your account',
      current: '/account',
      status: form ? 422 : 200,
      children: (
        <>
          <h1>Your account</h1>
          {name ? <p class="acct-greeting">Hello, {name}.</p> : null}
          {done && DONE[done] ? <Notice tone="success">{DONE[done]}</Notice> : null}
          <section aria-labelledby="acct-details" class="acct-card">
            <h2 id="acct-details">Sign-in details</h2>
            <dl class="acct-facts">
              <dt>Name</dt>
              <dd>{name ?? <span class="muted">Not given</span>}</dd>
              <dt>Email address</dt>
              <dd>
                {me.email}{' '}
                {me.emailVerified ? (
                  <span class="status status-confirmed">Confirmed</span>
                ) : (
                  <span class="status">Not confirmed yet</span>
                )}
              </dd>
              {staff ? (
                <>
                  <dt>Roles</dt>
                  <dd>{me.roles.map((r) => ROLE_NAMES[r] ?? r).join(', ')}</dd>
                  <dt>Two-step verification</dt>
                  <dd>
                    {me.mfaEnabled ? 'On' : 'Off'}
                    {me.mfa ? ' (used for this session)' : ''}
                  </dd>
                </>
              ) : null}
            </dl>
            {staff && !me.mfa ? (
              <Notice tone="warning">
                The admin console needs a sign-in with your authenticator code: sign out and sign in again.
              </Notice>
            ) : null}
          </section>
          <section aria-labelledby="acct-name" class="acct-card">
            <h2 id="acct-name">Your name</h2>
            <PostForm action="/account/profile" csrf={c.get('csrf')} class="form-narrow" aria-label="Your name">
              <Field
                label="Name (optional)"
                name="displayName"
                autocomplete="name"
                maxlength={DISPLAY_NAME_MAX}
                value={form ? form.value : (name ?? '')}
                error={form?.error}
                hint="What we call you when you are signed in. Leave it empty to remove it."
              />
              <button type="submit" class="secondary">
                Save name
              </button>
            </PostForm>
          </section>
          <section aria-labelledby="acct-links">
            <h2 id="acct-links">What would you like to do?</h2>
            <ul class="acct-links">
              <li>
                <a href="/account/orders">See your orders, track a parcel or return something</a>
              </li>
              <li>
                <a href="/account/sessions">See where you are signed in</a>
              </li>
              <li>
                <a href="/account/forgot">Change your password</a> (we email you a link)
              </li>
              {staff && me.mfa ? (
                <li>
                  <a href="/admin">Go to the admin console</a>
                </li>
              ) : null}
            </ul>
          </section>
        </>
      ),
    });
  };

  app.get('/', (c) => page(c));

  app.post('/profile', async (c) => {
    const form = await parseForm(c, NameForm);
    const value = String(form.raw.displayName ?? '');
    if (!form.ok) return page(c, { value, error: form.errors.displayName ?? 'Please check your name.' });
    const name = form.data.displayName || null;
    const r = await c.get('api').call(c, 'PATCH', '/api/identity/me', { json: { displayName: name } });
    if (r.status === 422) {
      return page(c, { value, error: apiFieldErrors(r).displayName ?? 'Please check your name.' });
    }
    if (r.problem) throw new ApiError(r.problem);
    return c.redirect(name ? '/account?done=name' : '/account?done=name-cleared', 303);
  });

  return app;
}
