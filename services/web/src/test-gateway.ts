import { testAuth } from '@storefront/kit/testing';
import { createApp } from './app.tsx';
import { webConfig } from './config.ts';

/**
 * What the page tests share to put the web app in front of a fake gateway: the calls it records,
 * the answers it gives, and the app wired to it with test identity keys.
 */

/** One call the pages made to the fake gateway. */
export interface Call {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON bodies.
  readonly body: any;
}

/** A JSON answer (problem+json from 400 up); `undefined` answers without a body. */
export const json = (status: number, body: unknown): Response =>
  new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: { 'content-type': status >= 400 ? 'application/problem+json' : 'application/json' },
  });

/** A problem document as the services write it; `extra` adds members (or replaces `title`). */
export const problem = (status: number, code: string, detail: string, extra: Record<string, unknown> = {}) =>
  json(status, { type: `https://storefront.dev/problems/${code}`, title: 'Problem', status, code, detail, ...extra });

/** A fetch made by the app, as a `Call` (the body parsed as JSON). */
export function readCall(input: string | URL | Request, init?: RequestInit): Call {
  const url = new URL(input instanceof Request ? input.url : String(input));
  const text = typeof init?.body === 'string' ? init.body : undefined;
  return {
    method: (init?.method ?? 'GET').toUpperCase(),
    path: url.pathname,
    query: url.searchParams,
    headers: new Headers(init?.headers),
    body: text ? JSON.parse(text) : undefined,
  };
}

/** The web app with `gateway` in place of the gateway, and the test identity (`auth`) its tokens verify with. */
export async function appWithGateway(
  gateway: (input: string | URL | Request, init?: RequestInit) => Promise<Response>,
) {
  const auth = await testAuth();
  const config = webConfig.parse({
    UPSTREAM_GATEWAY_URL: 'http://gateway.test',
    JWT_ISSUER: auth.issuer,
    JWT_AUDIENCE: auth.audience,
    COOKIE_SECURE: 'false',
    LOG_LEVEL: 'silent',
  });
  return { app: createApp({ config, verifier: auth.verifier, fetch: gateway as typeof fetch }), auth };
}
