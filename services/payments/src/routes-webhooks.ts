import type { Clock, IdFactory } from '@storefront/contracts';
import {
  type AuthEnv,
  createRoute,
  createRouter,
  type Db,
  type Logger,
  type Outbox,
  type Queryable,
  ServiceUnavailable,
  z,
} from '@storefront/kit';
import type { ProviderName } from './domain.ts';
import type { PaymentProvider, Providers, ProviderWebhook } from './provider.ts';
import { applyWebhook } from './provider-events.ts';
import { SANDBOX_SIGNATURE_HEADER } from './sandbox/webhook-signature.ts';
import { json, WebhookAck } from './schemas.ts';

export interface WebhookDeps {
  readonly db: Db;
  readonly outbox: Outbox;
  readonly clock: Clock;
  readonly newId: IdFactory;
  readonly log: Logger;
  readonly providers: Providers;
}

const SIGNATURE_HEADER: Record<ProviderName, string> = {
  stripe: 'stripe-signature',
  sandbox: SANDBOX_SIGNATURE_HEADER,
};

/** Inserted with the webhook's effect: a redelivered event id finds it and changes nothing. */
async function recordWebhook(tx: Queryable, provider: ProviderName, w: ProviderWebhook, now: Date): Promise<boolean> {
  const { rowCount } = await tx.query(
    `INSERT INTO webhook_events (provider, event_id, type, received_at) VALUES ($1, $2, $3, $4)
     ON CONFLICT DO NOTHING`,
    [provider, w.id, w.type, now],
  );
  return rowCount === 1;
}

/**
 * `POST /webhooks/<provider>` for each enabled provider. The signature is checked over the raw
 * body, read as text before anything parses it; then, in one transaction, the event id is recorded
 * (a duplicate stops here) and the state machine applies it. 400 for a bad signature or a stale
 * timestamp (the provider should not retry those); 503 when the object is ours but its creating
 * transaction has not committed yet (the provider retries, and then it is).
 */
export function webhookRoutes(deps: WebhookDeps) {
  const app = createRouter<AuthEnv>();
  for (const provider of Object.values(deps.providers)) {
    if (provider) mount(provider);
  }

  function mount(provider: PaymentProvider) {
    const header = SIGNATURE_HEADER[provider.name];
    app.openapi(
      createRoute({
        method: 'post',
        path: `/webhooks/${provider.name}`,
        tags: ['webhooks'],
        summary: `Events from ${provider.name}, signed`,
        description: `The body is the provider's JSON event, verified against the \`${header}\` header before parsing.`,
        request: { headers: z.object({ [header]: z.string().max(2000).optional() }) },
        responses: { 200: json(WebhookAck, 'Received (applied, nothing to do, or a duplicate)') },
      }),
      async (c) => {
        const raw = await c.req.text();
        const now = deps.clock();
        const webhook = provider.parseWebhook(raw, { get: (name) => c.req.header(name) }, now);
        const outcome = await deps.db.tx(async (tx) => {
          if (!(await recordWebhook(tx, provider.name, webhook, now))) return 'duplicate' as const;
          const applied = await applyWebhook(deps, tx, provider.name, webhook);
          if (applied === 'unknown') {
            // Rolls back the dedupe row too, so the retry is applied.
            throw new ServiceUnavailable('this event is about a payment not recorded yet; retry', {
              extensions: { retryAfter: 1 },
            });
          }
          return applied;
        });
        // Debug: the access log has the request at info already; this adds the event id and outcome.
        c.get('log').debug({ provider: provider.name, event: webhook.id, type: webhook.type, outcome }, 'webhook');
        return c.json({ received: true as const, duplicate: outcome === 'duplicate', outcome }, 200);
      },
    );
  }
  return app;
}
