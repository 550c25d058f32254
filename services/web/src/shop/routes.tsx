import { Hono } from 'hono';
import type { WebEnv } from '../env.ts';
import { cartRoutes } from './cart.tsx';
import { checkoutRoutes } from './checkout.tsx';
import { homeRoutes } from './home.tsx';
import { listingRoutes } from './listing.tsx';
import { orderRoutes } from './order.tsx';
import { productRoutes } from './product.tsx';

/** The shop pages: home, category, search, product, cart, checkout and the order confirmation. */
export function shopRoutes(): Hono<WebEnv> {
  const app = new Hono<WebEnv>();
  app.route('/', homeRoutes());
  app.route('/', listingRoutes());
  app.route('/', productRoutes());
  app.route('/', cartRoutes());
  app.route('/', checkoutRoutes());
  app.route('/', orderRoutes());
  return app;
}
