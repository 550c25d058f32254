import type { Context } from 'hono';
import { Hono } from 'hono';
import { z } from 'zod';
import type { WebEnv } from '../env.ts';
import { Field, formatDate, Notice, Pager } from '../ui.tsx';
import { parseQuery } from '../validate.ts';
import { forbidden, hasRole, withQuery } from './ops-common.tsx';
import { DayRangeFields, dayRange, idTail } from './ops-parts.tsx';
import { renderAdmin } from './shell.tsx';

/** The audit log (support staff and admins): every staff action and security event, filtered, newest first. */

interface Entry {
  readonly id: string;
  readonly at: string;
  readonly service: string;
  readonly action: string;
  readonly outcome: 'success' | 'failure';
  readonly actor: { type: string; id: string | null };
  readonly target: { type: string; id: string } | null;
  readonly requestId?: string;
  readonly ip?: string;
  readonly details?: Record<string, unknown>;
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Actions worth offering as suggestions (the log has more; any text is accepted). */
const KNOWN_ACTIONS = [
  'login.success',
  'login.failure',
  'mfa.enrol',
  'mfa.disable',
  'role.change',
  'session.revoke',
  'staff.create',
  'account.search',
  'account.view',
  'audit.read',
  'order.refund',
  'order.cancel',
  'order.note',
  'return.approve',
  'return.reject',
  'return.inspect',
  'stock.adjust.count',
  'stock.adjust.receipt',
  'stock.adjust.damage',
  'stock.adjust.correction',
  'stock.transfer',
  'stock.threshold',
  'location.create',
  'location.update',
];

/** A detail value as short text: lists joined, objects as key=value, long values cut. */
export function detailText(v: unknown, depth = 0): string {
  if (v === null || v === undefined) return '—';
  if (Array.isArray(v)) return v.map((x) => detailText(x, depth + 1)).join(', ');
  if (typeof v === 'object') {
    if (depth > 2) return '…';
    return Object.entries(v as Record<string, unknown>)
      .filter(([, x]) => x !== undefined && x !== null && !(typeof x === 'object' && Object.keys(x).length === 0))
      .map(([k, x]) => `${k}=${detailText(x, depth + 1)}`)
      .join('; ');
  }
  const s = String(v);
  return s.length > 200 ? `${s.slice(0, 199)}…` : s;
}

function Who(props: { actor: Entry['actor'] }) {
  const { type, id } = props.actor;
  if (type !== 'account' || !id) return <>{type === 'system' ? 'System' : 'Anonymous'}</>;
  return UUID_RE.test(id) ? (
    <a href={`/admin/customers/${id}`} title={id}>
      Account {idTail(id)}
    </a>
  ) : (
    id
  );
}

function Target(props: { target: Entry['target'] }) {
  const t = props.target;
  if (!t) return <>—</>;
  if (t.type === 'account' && UUID_RE.test(t.id))
    return <a href={`/admin/customers/${t.id}`}>Account {idTail(t.id)}</a>;
  if (t.type === 'order' && UUID_RE.test(t.id)) return <a href={`/admin/orders/${t.id}`}>Order {idTail(t.id)}</a>;
  if (t.type === 'stock') {
    const sku = t.id.split('@')[0] ?? '';
    if (/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(sku)) {
      return <a href={`/admin/inventory/sku/${encodeURIComponent(sku)}`}>Stock {t.id}</a>;
    }
  }
  return (
    <>
      {t.type} {t.id}
    </>
  );
}

const Query = z.object({
  actor: z.string().trim().max(254).optional(),
  action: z.string().trim().max(100).optional(),
  target: z.string().trim().max(200).optional(),
  from: z.string().max(20).optional(),
  to: z.string().max(20).optional(),
  cursor: z.string().max(64).optional(),
});

async function auditPage(c: Context<WebEnv>) {
  const q = parseQuery(c, Query);
  const api = c.get('api');
  const errors: Record<string, string> = {};
  let actor = q.actor || undefined;
  if (actor?.includes('@')) {
    // An email: the log keeps account ids, so find the one account with exactly this address.
    const email = actor.toLowerCase();
    const r = await api.call<{ items: { id: string; email: string }[] }>(c, 'GET', '/api/identity/accounts', {
      query: { email, limit: 5 },
    });
    const match = r.ok ? r.body.items.find((a) => a.email === email) : undefined;
    if (match) actor = match.id;
    else errors.actor = r.ok ? 'No account has this email address.' : 'Accounts could not be searched right now.';
  } else if (actor && actor.length > 64) {
    errors.actor = 'An account id is at most 64 characters; or type an email address.';
  }
  if (q.action && !/^[\w.:-]+$/.test(q.action)) errors.action = 'An action looks like order.refund or stock.transfer.';
  const { from, to } = dayRange(q, errors);
  const cursor = q.cursor && /^[\w-]{1,64}$/.test(q.cursor) ? q.cursor : undefined;
  const bad = Object.keys(errors).length > 0;
  const page = bad
    ? { items: [] as Entry[], nextCursor: null }
    : await api.get<{ items: Entry[]; nextCursor: string | null }>(c, '/api/identity/audit', {
        actor,
        action: q.action || undefined,
        target: q.target || undefined,
        from,
        to,
        cursor,
        limit: 50,
      });
  return renderAdmin(c, {
    title: 'Audit log',
    section: '/admin/audit',
    status: bad ? 400 : 200,
    children: (
      <>
        <h1>Audit log</h1>
        <p class="muted">Every staff action and security event, newest first. Reading the log is recorded too.</p>
        <search>
          <form method="get" action="/admin/audit" class="ops-filters" aria-label="Filter the audit log">
            <Field
              label="Who (account id or email)"
              name="actor"
              value={q.actor}
              error={errors.actor}
              maxlength={254}
              autocomplete="off"
            />
            <Field
              label="Action"
              name="action"
              value={q.action}
              error={errors.action}
              maxlength={100}
              hint={`e.g. ${KNOWN_ACTIONS.slice(10, 13).join(', ')}`}
            />
            <Field
              label="Target id"
              name="target"
              value={q.target}
              maxlength={200}
              hint="An order or account id, or SKU@location"
            />
            <DayRangeFields labels={['From', 'Until']} from={q.from} to={q.to} errors={errors} />
            <button type="submit">Show entries</button>
          </form>
        </search>
        {bad ? <Notice tone="error">Please correct the filter.</Notice> : null}
        {page.items.length === 0 ? (
          <p>No entries match.</p>
        ) : (
          <table class="responsive ops-audit">
            <caption class="visually-hidden">Audit entries, newest first</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Action</th>
                <th scope="col">Who</th>
                <th scope="col">Target</th>
                <th scope="col">Details</th>
              </tr>
            </thead>
            <tbody>
              {page.items.map((e) => (
                <tr>
                  <td data-label="When">{formatDate(e.at)}</td>
                  <td data-label="Action">
                    <code>{e.action}</code>
                    {e.outcome === 'failure' ? <span class="status status-failed">Failed</span> : null}
                    <div class="muted">{e.service}</div>
                  </td>
                  <td data-label="Who">
                    <Who actor={e.actor} />
                    {e.ip ? <div class="muted">{e.ip}</div> : null}
                  </td>
                  <td data-label="Target">
                    <Target target={e.target} />
                  </td>
                  <td data-label="Details">
                    {e.details && Object.keys(e.details).length ? detailText(e.details) : ''}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <Pager next={page.nextCursor} base={withQuery(c, { cursor: undefined })} label="Older entries" />
      </>
    ),
  });
}

export function auditAdmin(): Hono<WebEnv> {
  const app = new Hono<WebEnv>();
  app.get('/audit', (c) => (hasRole(c, 'support') ? auditPage(c) : forbidden(c, 'The audit log', 'support')));
  return app;
}
