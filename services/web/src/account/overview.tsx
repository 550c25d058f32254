import { Hono } from 'hono';
import { z } from 'zod';
import type { WebEnv } from '../env.ts';
import { Notice } from '../ui.tsx';
import { parseQuery } from '../validate.ts';
import { isStaff, renderAccount } from './shared.tsx';

interface Me {
  id: string;
  email: string;
  roles: string[];
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

/** The account overview: who is signed in, and where to go from here. */
export function overviewRoutes(): Hono<WebEnv> {
  const app = new Hono<WebEnv>();

  app.get('/', async (c) => {
    parseQuery(c, z.object({}));
    const me = await c.get('api').get<Me>(c, '/api/identity/me');
    const staff = isStaff(me.roles);
    return renderAccount(c, {
      title: 'Your account',
      current: '/account',
      children: (
        <>
          <h1>Your account</h1>
          <section aria-labelledby="acct-details" class="acct-card">
            <h2 id="acct-details">Sign-in details</h2>
            <dl class="acct-facts">
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
  });

  return app;
}
