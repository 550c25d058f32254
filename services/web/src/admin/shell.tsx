import type { Context } from 'hono';
import type { Child } from 'hono/jsx';
import type { WebEnv } from '../env.ts';
import { Main, type PageOptions, renderPage } from '../layout.tsx';

/** The console's sections, in menu order, with the roles that may open each (admin opens all). */
export const SECTIONS = [
  { href: '/admin', label: 'Overview', roles: ['support', 'merchandiser', 'fulfillment'] },
  { href: '/admin/products', label: 'Products', roles: ['merchandiser'] },
  { href: '/admin/categories', label: 'Categories', roles: ['merchandiser'] },
  { href: '/admin/promotions', label: 'Promotions', roles: ['merchandiser'] },
  { href: '/admin/inventory', label: 'Inventory', roles: ['fulfillment'] },
  // The orders API lets fulfillment read orders and work returns (services/orders/src/access.ts STAFF_ROUTES);
  // money and decisions stay with support and admin, and those pages hide what a viewer cannot use.
  { href: '/admin/orders', label: 'Orders', roles: ['support', 'fulfillment'] },
  { href: '/admin/returns', label: 'Returns', roles: ['support', 'fulfillment'] },
  { href: '/admin/customers', label: 'Customers', roles: ['support'] },
  { href: '/admin/audit', label: 'Audit log', roles: ['support'] },
] as const;

/** An admin page: the console's own navigation instead of the shop header. */
export function renderAdmin(
  c: Context<WebEnv>,
  opts: Omit<PageOptions, 'area' | 'children'> & { children: Child; section?: string },
): Promise<Response> {
  const roles = new Set<string>(c.get('viewer')?.roles ?? []);
  const visible = SECTIONS.filter((s) => roles.has('admin') || s.roles.some((r) => roles.has(r)));
  const current = opts.section ?? c.req.path;
  return renderPage(c, {
    ...opts,
    area: 'admin',
    scripts: ['admin.js', ...(opts.scripts ?? [])],
    children: (
      <div class="admin-shell">
        <nav class="admin-nav" aria-label="Admin">
          <p>
            <a href="/">← Shop</a>
          </p>
          {visible.map((s) => (
            <a
              href={s.href}
              aria-current={
                current === s.href || (s.href !== '/admin' && current.startsWith(`${s.href}/`)) ? 'page' : undefined
              }
            >
              {s.label}
            </a>
          ))}
          <p>
            <a href="/account">Your account</a>
          </p>
        </nav>
        <Main>{opts.children}</Main>
      </div>
    ),
  });
}
