import type { Context } from 'hono';
import type { WebEnv } from '../env.ts';
import { formatDate, Money } from '../ui.tsx';
import {
  CATALOG,
  canMerchandise,
  hasAnyRole,
  type Page,
  PROMOTIONS,
  type ProductStatus,
  type Promotion,
  STATUSES,
} from './catalog-lib.ts';
import { promotionState } from './catalog-promotions.tsx';
import { StatusPill } from './catalog-ui.tsx';
import { renderAdmin, SECTIONS } from './shell.tsx';

interface OrderRow {
  readonly id: string;
  readonly number: string;
  readonly status: string;
  readonly email: string | null;
  readonly currency: string;
  readonly totals: { readonly total: number };
  readonly createdAt?: string;
}

interface Stat {
  readonly label: string;
  readonly value: string;
  readonly href: string;
}

const LIMIT = 100;

/** The catalog's exact product counts (GET /admin/stats). */
type ProductCounts = Record<ProductStatus | 'total', number>;
const whole = new Intl.NumberFormat('en-US');

/** Orders' exact counts by status (GET /api/orders/admin/stats: one grouped query). */
interface OrderStats {
  readonly orders: Record<string, number>;
  readonly returns: Record<string, number>;
}
const isCounts = (v: unknown): v is Record<string, number> =>
  typeof v === 'object' && v !== null && Object.values(v).every((n) => typeof n === 'number');

/**
 * The console's home: a few figures that each cost one API call (exact products by status, active
 * promotions, exact returns waiting for staff by status) and the latest orders. A figure the viewer's roles cannot
 * read (the API says 403) or whose service is down is left out, never an error page.
 */
export async function overviewPage(c: Context<WebEnv>) {
  const api = c.get('api');
  const page = <T,>(path: string, query: Record<string, string | number>) =>
    api
      .call<Page<T>>(c, 'GET', path, { query })
      .then((r) => (r.ok && Array.isArray(r.body?.items) ? r.body : undefined));
  // Only the calls the viewer's roles allow (the services would refuse the others).
  const merch = canMerchandise(c);
  const ops = hasAnyRole(c, 'support', 'fulfillment');
  const none = Promise.resolve(undefined);
  const [productCounts, promotions, orderStats, orders] = await Promise.all([
    merch
      ? api
          .call<{ products: ProductCounts }>(c, 'GET', `${CATALOG}/stats`)
          .then((r) => (r.ok && typeof r.body?.products?.total === 'number' ? r.body.products : undefined))
      : none,
    merch ? page<Promotion>(PROMOTIONS, { limit: LIMIT }) : none,
    ops
      ? api
          .call<OrderStats>(c, 'GET', '/api/orders/admin/stats')
          .then((r) => (r.ok && isCounts(r.body?.returns) && isCounts(r.body?.orders) ? r.body : undefined))
      : none,
    ops ? page<OrderRow>('/api/orders/admin/orders', { limit: 5 }) : none,
  ]);
  const stats: Stat[] = [];
  if (productCounts) {
    for (const status of STATUSES) {
      stats.push({
        label: `${status.charAt(0).toUpperCase()}${status.slice(1)} products`,
        value: whole.format(productCounts[status] ?? 0),
        href: `/admin/products?status=${status}`,
      });
    }
  }
  if (promotions) {
    const active = promotions.items.filter((p) => promotionState(p).key === 'active').length;
    stats.push({
      label: promotions.nextCursor ? `Active promotions (newest ${LIMIT})` : 'Active promotions',
      value: String(active),
      href: '/admin/promotions',
    });
  }
  if (orderStats) {
    const n = (status: string) => whole.format(orderStats.returns[status] ?? 0);
    stats.push(
      { label: 'Returns to decide', value: n('requested'), href: '/admin/returns?status=requested' },
      { label: 'Returns on their way back', value: n('label_created'), href: '/admin/returns?status=label_created' },
      { label: 'Returns to inspect', value: n('received'), href: '/admin/returns?status=received' },
    );
    if ((orderStats.returns.refund_failed ?? 0) > 0) {
      stats.push({
        label: 'Return refunds failed',
        value: n('refund_failed'),
        href: '/admin/returns?status=refund_failed',
      });
    }
  }

  const roles = new Set<string>(c.get('viewer')?.roles ?? []);
  const sections = SECTIONS.filter(
    (s) => s.href !== '/admin' && (roles.has('admin') || s.roles.some((r) => roles.has(r))),
  );
  return renderAdmin(c, {
    title: 'Admin',
    children: (
      <>
        <h1>Overview</h1>
        {stats.length > 0 ? (
          <ul class="grid admin-stats" aria-label="Figures">
            {stats.map((s) => (
              <li class="card">
                <a href={s.href}>
                  <span class="admin-stat-value">{s.value}</span> <span class="admin-stat-label">{s.label}</span>
                </a>
              </li>
            ))}
          </ul>
        ) : (
          <p class="muted">No figures to show for your roles right now.</p>
        )}
        {orders ? (
          <section aria-labelledby="recent-orders">
            <h2 id="recent-orders">Latest orders</h2>
            {orders.items.length === 0 ? (
              <p>No orders yet.</p>
            ) : (
              <table class="responsive">
                <thead>
                  <tr>
                    <th scope="col">Order</th>
                    <th scope="col">Status</th>
                    <th scope="col">Customer</th>
                    <th scope="col" class="num">
                      Total
                    </th>
                    <th scope="col">Placed</th>
                  </tr>
                </thead>
                <tbody>
                  {orders.items.map((o) => (
                    <tr>
                      <td data-label="Order">
                        <a href={`/admin/orders/${o.id}`}>{o.number}</a>
                      </td>
                      <td data-label="Status">
                        <StatusPill status={o.status} label={o.status.replace(/_/g, ' ')} />
                      </td>
                      <td data-label="Customer">{o.email ?? '—'}</td>
                      <td data-label="Total" class="num">
                        <Money value={{ amount: o.totals?.total ?? 0, currency: o.currency }} />
                      </td>
                      <td data-label="Placed">{formatDate(o.createdAt)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            <p>
              <a href="/admin/orders">All orders</a>
            </p>
          </section>
        ) : null}
        <section aria-labelledby="sections">
          <h2 id="sections">Sections</h2>
          <ul class="admin-links">
            {sections.map((s) => (
              <li>
                <a href={s.href}>{s.label}</a>
              </li>
            ))}
          </ul>
        </section>
      </>
    ),
  });
}
