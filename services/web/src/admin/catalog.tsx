import { Hono } from 'hono';
import type { WebEnv } from '../env.ts';
import { errorPage } from '../errors.tsx';
import { canMerchandise } from './catalog-lib.ts';
import { overviewPage } from './catalog-overview.tsx';
import { productRoutes } from './catalog-products.tsx';
import { promotionRoutes } from './catalog-promotions.tsx';
import { taxonomyRoutes } from './catalog-taxonomy.tsx';

/**
 * The catalog side of the admin console (behind the staff + MFA guard in routes.tsx): the
 * overview, products with images, variants and prices, categories and brands, promotions. Every
 * change goes through the catalog and cart admin APIs with the staff member's own session (the
 * ApiClient forwards the CSRF header); a 422 comes back as messages next to the fields.
 */
export function catalogAdmin(): Hono<WebEnv> {
  const app = new Hono<WebEnv>();
  app.get('/', overviewPage);
  // A clear page for staff without the role, before any API call would refuse them.
  for (const path of [
    '/products',
    '/products/*',
    '/categories',
    '/categories/*',
    '/brands',
    '/brands/*',
    '/promotions',
    '/promotions/*',
  ]) {
    app.use(path, async (c, next) => {
      if (canMerchandise(c)) return next();
      return errorPage(c, {
        status: 403,
        title: 'Merchandisers only',
        message:
          'Products, categories, brands and promotions are for merchandiser staff. Ask an administrator if you need access.',
      });
    });
  }
  productRoutes(app);
  taxonomyRoutes(app);
  promotionRoutes(app);
  return app;
}
