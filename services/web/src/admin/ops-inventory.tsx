import { Hono } from 'hono';
import type { WebEnv } from '../env.ts';
import { postAdjust, postThreshold, postTransfer } from './ops-inventory-changes.ts';
import { locationPage, locationsPage, postLocation, postLocationEdit } from './ops-inventory-locations.tsx';
import { LocationCode, Sku } from './ops-inventory-shared.tsx';
import { skuPage } from './ops-inventory-sku.tsx';
import { stockList } from './ops-inventory-stock.tsx';
import { guardSection, withParam } from './ops-parts.tsx';

/**
 * Inventory for fulfillment staff and admins: the stock list (ops-inventory-stock), one SKU with its
 * adjustments, transfers, thresholds and ledger (ops-inventory-sku, ops-inventory-changes), and the
 * locations (ops-inventory-locations).
 */
export function inventoryAdmin(): Hono<WebEnv> {
  const app = new Hono<WebEnv>();
  guardSection(app, '/inventory', 'fulfillment', 'Inventory');
  app.get('/inventory', stockList);
  const withSku = withParam('sku', Sku, 'SKU');
  app.get(
    '/inventory/sku/:sku',
    withSku((c, sku) => skuPage(c, sku)),
  );
  app.post('/inventory/sku/:sku/adjust', withSku(postAdjust));
  app.post('/inventory/sku/:sku/transfer', withSku(postTransfer));
  app.post('/inventory/sku/:sku/threshold', withSku(postThreshold));
  app.get('/inventory/locations', (c) => locationsPage(c));
  app.post('/inventory/locations', postLocation);
  const withCode = withParam('code', LocationCode, 'location');
  app.get(
    '/inventory/locations/:code',
    withCode((c, code) => locationPage(c, code)),
  );
  app.post('/inventory/locations/:code', withCode(postLocationEdit));
  return app;
}
