import type { Context } from 'hono';
import { Hono } from 'hono';
import { z } from 'zod';
import { ApiError } from '../api.ts';
import type { WebEnv } from '../env.ts';
import { notFoundPage } from '../errors.tsx';
import { formList } from '../session.ts';
import { Field, formatDate, Notice, Pager, PostForm } from '../ui.tsx';
import { parseQuery } from '../validate.ts';
import {
  CheckField,
  Facts,
  Flash,
  FormNotice,
  type FormState,
  forbidden,
  hasRole,
  humanize,
  refusal,
  SelectField,
  withQuery,
} from './ops-common.tsx';
import { OrdersTable } from './ops-orders.tsx';
import type { Order } from './ops-orders-types.ts';
import { BackLink, guardSection, withParam } from './ops-parts.tsx';
import { renderAdmin } from './shell.tsx';

/** Customers and staff accounts (support and admins): search, a profile with its orders; for admins roles, MFA reset, sessions. */

export const ROLES = ['customer', 'support', 'merchandiser', 'fulfillment', 'admin'] as const;

interface AccountItem {
  readonly id: string;
  readonly email: string;
  /** The name the customer gave at sign-up or in their account, if any. */
  readonly displayName?: string | null;
  readonly roles: readonly string[];
  readonly emailVerified: boolean;
  readonly mfaEnabled: boolean;
  readonly disabled: boolean;
  readonly createdAt: string;
}
interface AccountDetail extends AccountItem {
  readonly emailVerifiedAt: string | null;
  readonly mfaEnabledAt: string | null;
  readonly lastSignInAt: string | null;
  readonly lastActiveAt: string | null;
  readonly liveSessions: number;
}

const SECTION = '/admin/customers';
const UUID = z.uuid();

const DONE = {
  roles: 'Roles changed. The account was signed out everywhere so the new roles apply at once.',
  'mfa-reset': 'Two-factor sign-in was reset. The account enrols again at its next sign-in.',
  'sessions-ended': 'Every session of this account was ended.',
};

const roleOptions = ROLES.map((r) => ({ value: r, label: humanize(r) }));

async function listPage(c: Context<WebEnv>) {
  const q = parseQuery(
    c,
    z.object({
      email: z.string().trim().max(254).optional(),
      role: z.string().max(40).optional(),
      cursor: z.string().max(400).optional(),
    }),
  );
  const errors: Record<string, string> = {};
  const email = q.email?.toLowerCase();
  if (email && !/^[\x21-\x7e]+$/.test(email)) errors.email = 'Type the start of an email address, without spaces.';
  const role = q.role && (ROLES as readonly string[]).includes(q.role) ? q.role : undefined;
  if (q.role && !role) errors.role = 'Choose a role from the list.';
  const cursor = q.cursor && /^[\w-]{1,400}$/.test(q.cursor) ? q.cursor : undefined;
  const bad = Object.keys(errors).length > 0;
  const page = bad
    ? { items: [] as AccountItem[], nextCursor: null }
    : await c.get('api').get<{ items: AccountItem[]; nextCursor: string | null }>(c, '/api/identity/accounts', {
        email: email || undefined,
        role,
        cursor,
        limit: 50,
      });
  return renderAdmin(c, {
    title: 'Customers',
    section: SECTION,
    status: bad ? 400 : 200,
    children: (
      <>
        <h1>Customers</h1>
        <search>
          <form method="get" action="/admin/customers" class="ops-filters" aria-label="Find accounts">
            <Field
              label="Email starts with"
              name="email"
              value={q.email}
              error={errors.email}
              maxlength={254}
              autocomplete="off"
            />
            <SelectField
              label="Role"
              name="role"
              options={roleOptions}
              value={q.role}
              error={errors.role}
              empty="Any role"
            />
            <button type="submit">Find accounts</button>
          </form>
        </search>
        {bad ? <Notice tone="error">Please correct the search.</Notice> : null}
        {page.items.length === 0 ? (
          <p>No accounts match.</p>
        ) : (
          <table class="responsive">
            <caption class="visually-hidden">Accounts by email</caption>
            <thead>
              <tr>
                <th scope="col">Email</th>
                <th scope="col">Name</th>
                <th scope="col">Roles</th>
                <th scope="col">Verified</th>
                <th scope="col">Two-factor</th>
                <th scope="col">Since</th>
              </tr>
            </thead>
            <tbody>
              {page.items.map((a) => (
                <tr>
                  <td data-label="Email">
                    <a href={`/admin/customers/${a.id}`}>{a.email}</a>
                    {a.disabled ? <span class="muted"> (disabled)</span> : null}
                  </td>
                  <td data-label="Name">{a.displayName ?? '—'}</td>
                  <td data-label="Roles">{a.roles.map(humanize).join(', ')}</td>
                  <td data-label="Verified">{a.emailVerified ? 'Yes' : 'No'}</td>
                  <td data-label="Two-factor">{a.mfaEnabled ? 'On' : 'Off'}</td>
                  <td data-label="Since">{formatDate(a.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <Pager next={page.nextCursor} base={withQuery(c, { cursor: undefined })} label="More accounts" />
      </>
    ),
  });
}

async function detailPage(c: Context<WebEnv>, id: string, state?: FormState) {
  const api = c.get('api');
  const r = await api.call<AccountDetail>(c, 'GET', `/api/identity/accounts/${id}`);
  if (r.status === 404) return notFoundPage(c, 'account');
  if (r.problem) throw new ApiError(r.problem);
  const a = r.body;
  const orders = await api.call<{ items: Order[]; nextCursor: string | null }>(c, 'GET', '/api/orders/admin/orders', {
    query: { customerId: id, limit: 20 },
  });
  const admin = hasRole(c, 'admin');
  const self = c.get('viewer')?.id === id;
  const done = state ? undefined : c.req.query('done');
  const chosen = state?.form === 'roles' ? new Set(state.values.roles?.split(',') ?? []) : new Set(a.roles);
  return renderAdmin(c, {
    title: a.email,
    section: SECTION,
    status: state ? 422 : 200,
    children: (
      <>
        <BackLink href="/admin/customers">Customers</BackLink>
        <h1>{a.email}</h1>
        <Flash done={done} messages={DONE} />
        <Facts
          items={[
            ['Name', a.displayName ?? 'Not given'],
            ['Roles', a.roles.map(humanize).join(', ')],
            ['Email verified', a.emailVerified ? `Yes, ${formatDate(a.emailVerifiedAt)}` : 'No'],
            ['Two-factor sign-in', a.mfaEnabled ? `On since ${formatDate(a.mfaEnabledAt)}` : 'Off'],
            ['Account created', formatDate(a.createdAt)],
            ['Last sign-in', a.lastSignInAt ? formatDate(a.lastSignInAt) : 'Never'],
            ['Last active', a.lastActiveAt ? formatDate(a.lastActiveAt) : '—'],
            ['Live sessions', String(a.liveSessions)],
            ...(a.disabled ? [['Status', 'Disabled'] as const] : []),
          ]}
        />

        <section aria-labelledby="orders-h">
          <h2 id="orders-h">Orders</h2>
          {orders.ok ? (
            <>
              <OrdersTable orders={orders.body.items} caption={`Orders of ${a.email}`} />
              {orders.body.nextCursor ? (
                <p>
                  <a href={`/admin/orders?customer=${id}`}>All orders of this customer →</a>
                </p>
              ) : null}
            </>
          ) : (
            <Notice tone="warning">The orders could not be loaded right now.</Notice>
          )}
        </section>

        <section aria-labelledby="actions-h">
          <h2 id="actions-h">Account actions</h2>
          <div class="ops-forms">
            <section aria-labelledby="sessions-h" class="ops-panel">
              <h3 id="sessions-h">Sessions</h3>
              <FormNotice state={state} form="sessions" />
              <p>Signs the account out on every device (for a lost phone or a shared computer).</p>
              {self ? (
                <p>
                  This is your own account: sign devices out from <a href="/account/sessions">your sessions</a>.
                </p>
              ) : (
                <PostForm
                  action={`/admin/customers/${id}/sessions/revoke`}
                  csrf={c.get('csrf')}
                  data-confirm={`End every session of ${a.email}?`}
                >
                  <button type="submit" class="danger">
                    End all sessions
                  </button>
                </PostForm>
              )}
            </section>

            {admin ? (
              <section aria-labelledby="roles-h" class="ops-panel">
                <h3 id="roles-h">Roles</h3>
                <FormNotice state={state} form="roles" />
                {self ? (
                  <p>You cannot change your own roles.</p>
                ) : (
                  <PostForm
                    action={`/admin/customers/${id}/roles`}
                    csrf={c.get('csrf')}
                    data-confirm={`Change the roles of ${a.email}? They are signed out everywhere.`}
                  >
                    <fieldset>
                      <legend>Roles of this account</legend>
                      {ROLES.map((role) => (
                        <CheckField
                          id={`role-${role}`}
                          label={humanize(role)}
                          name="roles"
                          value={role}
                          checked={chosen.has(role)}
                        />
                      ))}
                    </fieldset>
                    <button type="submit">Save roles</button>
                  </PostForm>
                )}
              </section>
            ) : null}

            {admin && a.mfaEnabled && !self ? (
              <section aria-labelledby="mfa-h" class="ops-panel">
                <h3 id="mfa-h">Two-factor sign-in</h3>
                <FormNotice state={state} form="mfa" />
                <p>For a staff member who lost their authenticator: they enrol again at their next sign-in.</p>
                <PostForm
                  action={`/admin/customers/${id}/mfa/reset`}
                  csrf={c.get('csrf')}
                  data-confirm={`Reset two-factor sign-in of ${a.email}? They are signed out everywhere.`}
                >
                  <button type="submit" class="danger">
                    Reset two-factor sign-in
                  </button>
                </PostForm>
              </section>
            ) : null}
          </div>
        </section>
      </>
    ),
  });
}

const ACCOUNT_MESSAGES = {
  validation_failed:
    'That role change is not allowed (an account needs at least one role; you cannot demote yourself).',
};

async function postRoles(c: Context<WebEnv>, id: string) {
  if (!hasRole(c, 'admin')) return forbidden(c, 'Changing roles', 'admin');
  const picked = (await formList(c, 'roles')).filter((r) => (ROLES as readonly string[]).includes(r));
  const values = { roles: picked.join(',') };
  if (picked.length === 0) {
    return detailPage(c, id, { form: 'roles', values, errors: {}, message: 'Choose at least one role.' });
  }
  const r = await c.get('api').call(c, 'PUT', `/api/identity/accounts/${id}/roles`, { json: { roles: picked } });
  if (r.status === 404) return notFoundPage(c, 'account');
  if (!r.ok) {
    const detail = typeof r.problem?.detail === 'string' ? r.problem.detail : undefined;
    return detailPage(c, id, {
      ...refusal('roles', values, r, detail ? { validation_failed: `Not allowed: ${detail}.` } : ACCOUNT_MESSAGES),
      errors: {},
    });
  }
  return c.redirect(`/admin/customers/${id}?done=roles`, 303);
}

async function postMfaReset(c: Context<WebEnv>, id: string) {
  if (!hasRole(c, 'admin')) return forbidden(c, 'Resetting two-factor sign-in', 'admin');
  const r = await c.get('api').call(c, 'POST', `/api/identity/accounts/${id}/mfa/reset`);
  if (r.status === 404) return notFoundPage(c, 'account');
  if (!r.ok) return detailPage(c, id, refusal('mfa', {}, r));
  return c.redirect(`/admin/customers/${id}?done=mfa-reset`, 303);
}

async function postRevoke(c: Context<WebEnv>, id: string) {
  const r = await c.get('api').call(c, 'POST', `/api/identity/accounts/${id}/sessions/revoke`);
  if (r.status === 404) return notFoundPage(c, 'account');
  if (!r.ok) return detailPage(c, id, refusal('sessions', {}, r));
  return c.redirect(`/admin/customers/${id}?done=sessions-ended`, 303);
}

export function customersAdmin(): Hono<WebEnv> {
  const app = new Hono<WebEnv>();
  guardSection(app, '/customers', 'support', 'Customer accounts');
  app.get('/customers', listPage);
  const withId = withParam('id', UUID, 'account');
  app.get(
    '/customers/:id',
    withId((c, id) => detailPage(c, id)),
  );
  app.post('/customers/:id/roles', withId(postRoles));
  app.post('/customers/:id/mfa/reset', withId(postMfaReset));
  app.post('/customers/:id/sessions/revoke', withId(postRevoke));
  return app;
}
