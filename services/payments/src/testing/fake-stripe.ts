import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Answer, createFakeApi } from './fake-stripe-api.ts';
import {
  createFakeHooks,
  type Delivery,
  type SignedEvent,
  threeDSecurePage,
  type WebhookEndpoint,
} from './fake-stripe-hooks.ts';
import type { PaymentMethod } from './fake-stripe-methods.ts';
import { decodeForm, type Intent, id, type Refund, stripeError } from './fake-stripe-objects.ts';

export type { SignedEvent } from './fake-stripe-hooks.ts';

/**
 * A local stand-in for the few Stripe API endpoints payments uses, for the real stripe-node SDK to
 * talk to (`host`/`port`/`protocol: 'http'`): create/confirm/capture/cancel/retrieve PaymentIntent,
 * create/retrieve Refund; and what the browser's Stripe.js uses: create/retrieve PaymentMethod
 * with the publishable key (`key=pk_…` in the body, CORS open as api.stripe.com's), Stripe's
 * test card numbers deciding the outcome. Beyond the API: the hosted 3-D Secure page
 * (`/3ds/{intent}`, at `hooksUrl`) and webhook endpoints (`POST /v1/webhook_endpoints`) that get
 * signed `payment_intent.*` events. It honours Idempotency-Key like Stripe (the first answer replayed for the
 * same parameters, 400 idempotency_error for other ones) and can be told to answer 500, 409 or 429,
 * or to hang, for the next N calls — so the SDK's own retry and timeout paths run for real.
 * A fault is injected before the request "reaches the API": nothing is stored under its key.
 */
export type Fault = 500 | 409 | 429 | 'hang';

export interface FakeCall {
  readonly method: string;
  readonly path: string;
  readonly idempotencyKey: string | undefined;
  readonly status: number | 'hung';
  readonly replayed: boolean;
}

export interface FakeStripe {
  readonly host: string;
  readonly port: number;
  /** `http://host:port`. */
  readonly url: string;
  readonly secretKey: string;
  readonly publishableKey: string;
  readonly webhookSecret: string;
  readonly calls: FakeCall[];
  readonly intents: Map<string, Intent>;
  readonly refunds: Map<string, Refund>;
  readonly paymentMethods: Map<string, PaymentMethod>;
  readonly webhookEndpoints: WebhookEndpoint[];
  /** Every webhook delivery attempt, in order. */
  readonly deliveries: Delivery[];
  /** Resolves once no webhook delivery is in flight. */
  webhooksSettled(): Promise<void>;
  /** The next `n` API calls get `fault`; 'hang' still processes the request but never answers. */
  failNext(n: number, fault: Fault): void;
  /** The customer finished (or failed) 3-D Secure on Stripe's page. */
  completeAction(intentId: string, ok: boolean): Intent;
  /** A signed webhook delivery as Stripe would send it. */
  webhook(type: string, object: unknown, o?: { id?: string; timestamp?: number; secret?: string }): SignedEvent;
  close(): Promise<void>;
}

export interface FakeStripeOptions {
  /**
   * The origin of the 3-D Secure page in `next_action.redirect_to_url.url` (Stripe's is
   * `https://hooks.stripe.com`, which a browser test routes here); default this fake's own URL.
   */
  readonly hooksUrl?: string;
}

/** What API keys may call: a publishable key only makes PaymentMethods, as in Stripe. */
const PUBLISHABLE = new Set(['POST /v1/payment_methods']);

export async function startFakeStripe(opts: FakeStripeOptions = {}): Promise<FakeStripe> {
  const secretKey = 'sk_test_fake_0123456789';
  const publishableKey = 'pk_test_fake_0123456789';
  const webhookSecret = 'whsec_fake_0123456789abcdef';
  const calls: FakeCall[] = [];
  const stored = new Map<string, { fingerprint: string; answer: Answer }>();
  const faults: Fault[] = [];
  let base = '';
  const hooks = createFakeHooks(webhookSecret);
  const api = createFakeApi(() => base, {
    hooksUrl: () => opts.hooksUrl ?? base,
    emit: (type, i) => hooks.deliver(type, api.json(i)),
  });
  const now = () => Math.floor(Date.now() / 1000);

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', base);
    const method = req.method ?? 'GET';
    const key = req.headers['idempotency-key'] as string | undefined;
    const log = (status: number | 'hung', replayed = false) =>
      calls.push({ method, path: url.pathname, idempotencyKey: key, status, replayed });
    // api.stripe.com answers browsers from any origin (Stripe.js calls it from js.stripe.com).
    const cors = {
      'access-control-allow-origin': '*',
      'access-control-allow-headers': 'authorization, content-type, stripe-version, idempotency-key',
      'access-control-allow-methods': 'GET, POST, DELETE, OPTIONS',
    };
    const send = (a: Answer, headers: Record<string, string> = {}) => {
      res.writeHead(a.status, { 'content-type': 'application/json', 'request-id': id('req'), ...cors, ...headers });
      res.end(JSON.stringify(a.body));
    };
    if (url.pathname.startsWith('/3ds/')) {
      const intentId = url.pathname.slice('/3ds/'.length);
      return threeDSecurePage(req, res, raw, {
        intent: api.intents.get(intentId),
        complete: (ok) => api.completeAction(intentId, ok),
      });
    }
    if (method === 'OPTIONS') {
      res.writeHead(204, cors);
      return res.end();
    }
    // Stripe.js sends the publishable key in the form body; stripe-node the secret key as a bearer.
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const apiKey = bearer ?? (method === 'POST' ? new URLSearchParams(raw).get('key') : null);
    if (apiKey === publishableKey && !PUBLISHABLE.has(`${method} ${url.pathname}`)) {
      log(401);
      return send(
        stripeError(401, {
          type: 'invalid_request_error',
          message: 'This API call cannot be made with a publishable API key. Please use a secret API key.',
        }),
      );
    }
    if (apiKey !== secretKey && apiKey !== publishableKey) {
      log(401);
      return send(stripeError(401, { type: 'invalid_request_error', message: 'Invalid API Key provided' }));
    }
    const fault = faults.shift();
    if (fault && fault !== 'hang') {
      log(fault);
      const type = fault === 500 ? 'api_error' : 'invalid_request_error';
      const code = fault === 409 ? 'lock_timeout' : fault === 429 ? 'rate_limit' : undefined;
      return send(stripeError(fault, { type, ...(code ? { code } : {}), message: `fake ${fault}` }));
    }
    const fingerprint = `${method} ${url.pathname} ${raw}`;
    const prior = key ? stored.get(key) : undefined;
    let answer: Answer;
    if (prior && prior.fingerprint !== fingerprint) {
      answer = stripeError(400, {
        type: 'idempotency_error',
        message: 'Keys for idempotent requests can only be used with the same parameters they were first used with.',
      });
    } else if (prior) {
      if (fault === 'hang') return log('hung');
      log(prior.answer.status, true);
      return send(prior.answer, { 'idempotent-replayed': 'true' });
    } else if (method === 'POST' && url.pathname === '/v1/webhook_endpoints') {
      answer = hooks.createEndpoint(decodeForm(raw), now());
    } else {
      answer = api.route(method, url.pathname, method === 'GET' ? url.search.slice(1) : raw);
      if (key && method === 'POST') stored.set(key, { fingerprint, answer });
    }
    // Processed, but the answer never leaves: the caller cannot know whether it happened.
    if (fault === 'hang') return log('hung');
    log(answer.status);
    send(answer);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err) => {
      res.writeHead(500).end(String(err));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  base = `http://127.0.0.1:${port}`;

  return {
    host: '127.0.0.1',
    port,
    url: base,
    secretKey,
    publishableKey,
    webhookSecret,
    calls,
    intents: api.intents,
    refunds: api.refunds,
    paymentMethods: api.paymentMethods,
    webhookEndpoints: hooks.endpoints,
    deliveries: hooks.deliveries,
    webhooksSettled: hooks.settled,
    failNext(n, fault) {
      for (let k = 0; k < n; k++) faults.push(fault);
    },
    completeAction: api.completeAction,
    webhook(type, object, o = {}) {
      const data = object && typeof object === 'object' && 'refunded' in object ? api.json(object as Intent) : object;
      return hooks.sign(type, data, o);
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
