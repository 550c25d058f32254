import type { IncomingMessage, ServerResponse } from 'node:http';
import Stripe from 'stripe';
import type { Answer } from './fake-stripe-api.ts';
import { type Intent, id, type Params, str, stripeError } from './fake-stripe-objects.ts';

/**
 * What Stripe does outside its API's request/answer: the hosted 3-D Secure test page a
 * `next_action.redirect_to_url` sends the shopper to (hooks.stripe.com), which sends the browser
 * back to the intent's return_url, and webhook endpoints (`POST /v1/webhook_endpoints`) to which
 * it delivers signed events, retrying a delivery that is not answered 2xx.
 */
export interface WebhookEndpoint {
  id: string;
  object: 'webhook_endpoint';
  url: string;
  enabled_events: string[];
  status: 'enabled';
  secret: string;
  livemode: false;
  created: number;
}

export interface Delivery {
  readonly eventId: string;
  readonly type: string;
  /** The id of the event's object (the PaymentIntent). */
  readonly objectId: string | undefined;
  readonly url: string;
  readonly status: number | 'error';
}

export interface FakeHooks {
  readonly endpoints: WebhookEndpoint[];
  readonly deliveries: Delivery[];
  createEndpoint(p: Params, now: number): Answer;
  /** A signed event body and headers, as Stripe sends them. */
  sign(type: string, object: unknown, o?: { id?: string; timestamp?: number; secret?: string }): SignedEvent;
  /** Sends `type` to every endpoint that listens for it (in the background, with retries). */
  deliver(type: string, object: unknown): void;
  /** Resolves when no delivery is in flight. */
  settled(): Promise<void>;
}

export interface SignedEvent {
  readonly id: string;
  readonly body: string;
  readonly headers: Record<string, string>;
}

const RETRIES = 6;

export function createFakeHooks(webhookSecret: string): FakeHooks {
  const endpoints: WebhookEndpoint[] = [];
  const deliveries: Delivery[] = [];
  const inFlight = new Set<Promise<void>>();
  const now = () => Math.floor(Date.now() / 1000);

  function sign(
    type: string,
    object: unknown,
    o: { id?: string; timestamp?: number; secret?: string } = {},
  ): SignedEvent {
    const eventId = o.id ?? id('evt');
    const body = JSON.stringify({
      id: eventId,
      object: 'event',
      api_version: '2026-10-28.endive',
      created: now(),
      type,
      livemode: false,
      pending_webhooks: 1,
      request: { id: null, idempotency_key: null },
      data: { object },
    });
    const signature = Stripe.webhooks.generateTestHeaderString({
      payload: body,
      secret: o.secret ?? webhookSecret,
      timestamp: o.timestamp ?? now(),
    });
    return { id: eventId, body, headers: { 'content-type': 'application/json', 'stripe-signature': signature } };
  }

  async function send(endpoint: WebhookEndpoint, type: string, object: unknown): Promise<void> {
    const eventId = id('evt');
    for (let attempt = 0; attempt < RETRIES; attempt++) {
      // Signed afresh for each attempt, as Stripe does (the timestamp is the attempt's).
      const e = sign(type, object, { id: eventId, secret: endpoint.secret });
      let status: number | 'error';
      try {
        const res = await fetch(endpoint.url, {
          method: 'POST',
          body: e.body,
          headers: { ...e.headers, 'user-agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)' },
        });
        await res.arrayBuffer();
        status = res.status;
      } catch {
        status = 'error';
      }
      deliveries.push({ eventId, type, objectId: (object as { id?: string } | null)?.id, url: endpoint.url, status });
      if (typeof status === 'number' && status >= 200 && status < 300) return;
      // Stripe backs off for hours; a fake compresses that to well under a minute.
      await new Promise((r) => setTimeout(r, 250 * 2 ** attempt));
    }
  }

  return {
    endpoints,
    deliveries,
    sign,
    createEndpoint(p, created) {
      const url = str(p, 'url');
      const events = Array.isArray(p.enabled_events) ? (p.enabled_events as string[]) : [];
      if (!url || !/^https?:\/\//.test(url)) {
        return stripeError(400, {
          type: 'invalid_request_error',
          code: 'url_invalid',
          param: 'url',
          message: 'Invalid URL',
        });
      }
      if (events.length === 0) {
        return stripeError(400, {
          type: 'invalid_request_error',
          code: 'parameter_missing',
          param: 'enabled_events',
          message: 'Missing required param: enabled_events.',
        });
      }
      // Stripe makes a secret per endpoint; the fake's account has one, which payments is started with.
      const endpoint: WebhookEndpoint = {
        id: id('we'),
        object: 'webhook_endpoint',
        url,
        enabled_events: events,
        status: 'enabled',
        secret: webhookSecret,
        livemode: false,
        created,
      };
      endpoints.push(endpoint);
      return { status: 200, body: endpoint };
    },
    deliver(type, object) {
      for (const endpoint of endpoints) {
        if (!endpoint.enabled_events.includes('*') && !endpoint.enabled_events.includes(type)) continue;
        const p: Promise<void> = send(endpoint, type, object).finally(() => inFlight.delete(p));
        inFlight.add(p);
      }
    },
    async settled() {
      while (inFlight.size > 0) await Promise.all([...inFlight]);
    },
  };
}

const page = (title: string, body: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${title}</title></head>
<body><main><h1>${title}</h1>${body}</main></body></html>`;

/**
 * Stripe's hosted 3-D Secure 2 test page: GET shows it, the shopper's button POSTs here, and the
 * browser goes back to the intent's return_url with `payment_intent`,
 * `payment_intent_client_secret` and `redirect_status`, as Stripe sends it.
 */
export function threeDSecurePage(
  req: IncomingMessage,
  res: ServerResponse,
  raw: string,
  o: { intent: Intent | undefined; complete: (ok: boolean) => void },
): void {
  const i = o.intent;
  if (i?.status !== 'requires_action' || !i.next_action) {
    res.writeHead(404, { 'content-type': 'text/html; charset=utf-8' });
    res.end(page('This authentication is no longer available', '<p>Please go back to the shop.</p>'));
    return;
  }
  if (req.method === 'POST') {
    const ok = new URLSearchParams(raw).get('result') === 'complete';
    const back = new URL(i.next_action.redirect_to_url.return_url);
    o.complete(ok);
    back.searchParams.set('payment_intent', i.id);
    back.searchParams.set('payment_intent_client_secret', i.client_secret);
    back.searchParams.set('redirect_status', ok ? 'succeeded' : 'failed');
    res.writeHead(303, { location: back.toString() });
    res.end();
    return;
  }
  const amount = `${(i.amount / 100).toFixed(2)} ${i.currency.toUpperCase()}`;
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
  res.end(
    page(
      '3D Secure 2 Test Page',
      `<p>This is a test payment of ${amount}. Complete or fail the authentication.</p>
<form method="post"><button type="submit" name="result" value="complete">Complete</button>
<button type="submit" name="result" value="fail">Fail</button></form>`,
    ),
  );
}
