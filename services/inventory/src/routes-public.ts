import { type AuthEnv, createRoute, createRouter, z } from '@storefront/kit';
import type { InventoryDeps } from './app.ts';
import { AvailabilityOut, AvailabilityQuery, json, LocationOut } from './schemas.ts';
import * as store from './store.ts';

/** Reads for shoppers and other services (catalog, cart, the product page): no sign-in. */
export function publicRoutes(deps: InventoryDeps) {
  const app = createRouter<AuthEnv>();

  app.openapi(
    createRoute({
      method: 'get',
      path: '/availability',
      tags: ['availability'],
      summary: 'Available units per SKU, in total and per location (with pickup)',
      request: { query: AvailabilityQuery },
      responses: { 200: json(AvailabilityOut, 'One item per requested SKU, in request order') },
    }),
    async (c) => {
      const { sku } = c.req.valid('query');
      const skus = [...new Set(Array.isArray(sku) ? sku : [sku])];
      return c.json({ items: await store.availability(deps.db, skus) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/locations',
      tags: ['locations'],
      summary: 'Warehouses and stores',
      responses: { 200: json(z.object({ items: z.array(LocationOut) }), 'Every location, preferred first') },
    }),
    async (c) => c.json({ items: await store.listLocations(deps.db) }, 200),
  );

  return app;
}
