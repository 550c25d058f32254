import { Hono } from 'hono';
import type { WebEnv } from '../env.ts';
import { auditAdmin } from './ops-audit.tsx';
import { customersAdmin } from './ops-customers.tsx';
import { inventoryAdmin } from './ops-inventory.tsx';
import { ordersAdmin } from './ops-orders.tsx';
import { returnsAdmin } from './ops-returns.tsx';

/**
 * The operations side of the admin console: inventory (fulfillment), orders, returns, customers and
 * the audit log (support). Each section checks the viewer's roles for a clear page; the services
 * check role and MFA again on every call.
 */
export function opsAdmin(): Hono<WebEnv> {
  const app = new Hono<WebEnv>();
  app.route('/', inventoryAdmin());
  app.route('/', ordersAdmin());
  app.route('/', returnsAdmin());
  app.route('/', customersAdmin());
  app.route('/', auditAdmin());
  return app;
}
