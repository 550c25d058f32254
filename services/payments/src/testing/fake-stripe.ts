import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';
import { type Answer, createFakeApi } from './fake-stripe-api.ts';
import { type Intent, id, intentJson, type Refund, stripeError } from './fake-stripe-objects.ts';

/**
 * A local stand-in for the few Stripe API endpoints payments uses, for the real stripe-node SDK to
 * talk to (`host`/`port`/`protocol: 'http'`): create/confirm/capture/cancel/retrieve PaymentIntent,
 * create/retrieve Refund. It honours Idempotency-Key like Stripe (the first answer replayed for the
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
  readonly secretKey: string;
  readonly webhookSecret: string;
  readonly calls: FakeCall[];
  readonly intents: Map<string, Intent>;
  readonly refunds: Map<string, Refund>;
  /** The next `n` API calls get `fault`; 'hang' still processes the request but never answers. */
  failNext(n: number, fault: Fault): void;
  /** The customer finished (or failed) 3-D Secure on Stripe's page. */
  completeAction(intentId: string, ok: boolean): Intent;
  /** A signed webhook delivery as Stripe would send it. */
  webhook(type: string, object: unknown, o?: { id?: string; timestamp?: number; secret?: string }): SignedEvent;
  close(): Promise<void>;
}

export interface SignedEvent {
  readonly id: string;
  readonly body: string;
  readonly headers: Record<string, string>;
}

export async function startFakeStripe(): Promise<FakeStripe> {
  const secretKey = 'sk_test_fake_0123456789';
  const webhookSecret = 'whsec_fake_0123456789abcdef';
  const calls: FakeCall[] = [];
  const stored = new Map<string, { fingerprint: string; answer: Answer }>();
  const faults: Fault[] = [];
  let base = '';
  const api = createFakeApi(() => base);
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
    const send = (a: Answer, headers: Record<string, string> = {}) => {
      res.writeHead(a.status, { 'content-type': 'application/json', 'request-id': id('req'), ...headers });
      res.end(JSON.stringify(a.body));
    };
    if (req.headers.authorization !== `Bearer ${secretKey}`) {
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
    secretKey,
    webhookSecret,
    calls,
    intents: api.intents,
    refunds: api.refunds,
    failNext(n, fault) {
      for (let k = 0; k < n; k++) faults.push(fault);
    },
    completeAction: api.completeAction,
    webhook(type, object, o = {}) {
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
        data: {
          object: object && typeof object === 'object' && 'refunded' in object ? intentJson(object as Intent) : object,
        },
      });
      const signature = Stripe.webhooks.generateTestHeaderString({
        payload: body,
        secret: o.secret ?? webhookSecret,
        timestamp: o.timestamp ?? now(),
      });
      return { id: eventId, body, headers: { 'content-type': 'application/json', 'stripe-signature': signature } };
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
