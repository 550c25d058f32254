import { type AuthEnv, createRoute, createRouter, NotFound, z } from '@storefront/kit';
import type { Core } from './core.ts';
import { CarrierName, json, WebhookOut } from './schemas.ts';
import { applyReport } from './tracking.ts';

/**
 * Carriers call here with tracking updates. No token: the carrier's signature over the raw body
 * is the authentication, checked by its adapter before anything is parsed. A 2xx tells the
 * carrier to stop retrying, so it is only sent once the report is committed (or known already).
 */
export function webhookRoutes(core: Core) {
  const app = createRouter<AuthEnv>();

  app.openapi(
    createRoute({
      method: 'post',
      path: '/webhooks/carriers/{carrier}',
      tags: ['webhooks'],
      summary: 'A carrier reports tracking progress (signed; deduplicated on the carrier event id)',
      description:
        'The body is read raw: the devcarrier signs it with `devcarrier-signature: t=<unix>,v1=<hex HMAC-SHA256 of "t.body">`. ' +
        'A missing, forged or stale (> 5 min) signature is 401; an unknown tracking number is 404 (the carrier retries).',
      request: { params: z.object({ carrier: CarrierName }) },
      responses: { 200: json(WebhookOut, 'Received') },
    }),
    async (c) => {
      const { carrier: name } = c.req.valid('param');
      const carrier = core.carriers.get(name);
      if (!carrier) throw new NotFound(`no carrier ${name}`);
      const body = await c.req.text();
      const report = carrier.verifyWebhook({ body, header: (h) => c.req.header(h) }, core.clock());
      const outcome = await applyReport(core, carrier.name, report);
      // Chaos: committed, not yet answered; the carrier retries and the receipt absorbs it.
      core.faults.point('fulfillment.webhook-applied');
      return c.json({ received: true as const, outcome }, 200);
    },
  );

  return app;
}
