import { ACCESS_COOKIE, CLIENT_IP_HEADER, CSRF_HEADER, EDGE_TOKEN_HEADER, edgeToken } from '@storefront/kit';
import type { Context } from 'hono';
import { getCookie } from 'hono/cookie';
import type { WebEnv } from './env.ts';

/** An RFC 9457 problem as the services send it (fields beyond these are extensions). */
export interface ApiProblem {
  readonly type?: string;
  readonly title?: string;
  readonly status: number;
  readonly detail?: string;
  readonly code?: string;
  readonly errors?: readonly { readonly path?: string; readonly pointer?: string; readonly message: string }[];
  readonly [extension: string]: unknown;
}

export interface ApiResult<T> {
  readonly status: number;
  readonly ok: boolean;
  /** The parsed JSON body (undefined for an empty or non-JSON answer). */
  readonly body: T;
  /** Set when the answer is an error: the problem document, or one made up for a network failure. */
  readonly problem: ApiProblem | undefined;
  readonly headers: Headers;
}

export interface CallOptions {
  readonly json?: unknown;
  readonly query?: Record<string, string | number | boolean | undefined | null | readonly string[]>;
  readonly headers?: Record<string, string | undefined>;
  /** Copy the answer's Set-Cookie headers onto the page's response (sign-in, sign-out). */
  readonly relayCookies?: boolean;
  /** Send the shopper's identity cookies (default true). */
  readonly credentials?: boolean;
}

/** Thrown by `must`: the page shows `friendlyMessage(problem)` (errors.tsx) instead of a stack. */
export class ApiError extends Error {
  readonly problem: ApiProblem;
  constructor(problem: ApiProblem) {
    super(problem.detail ?? problem.title ?? `HTTP ${problem.status}`);
    this.name = 'ApiError';
    this.problem = problem;
  }
}

/** The cookies web itself sets, never forwarded to the API. */
export const CART_COOKIE = 'sf_cart';
export const GUEST_CSRF_COOKIE = 'sf_gcsrf';
/** Identity's CSRF cookie in cookie mode (readable by pages; its hash is in the access token). */
export const SESSION_CSRF_COOKIE = 'sf_csrf';

const SAFE = new Set(['GET', 'HEAD']);

export interface ApiClientOptions {
  readonly baseUrl: string;
  /** The installation's service token: web proves itself to the gateway with an HMAC of it. */
  readonly serviceToken?: string | undefined;
  readonly timeoutMs: number;
  readonly fetch?: typeof fetch;
}

/**
 * Every page is built from the public API through the gateway, with the shopper's own
 * credentials: their access cookie goes along, and on a change the CSRF header that the session's
 * token is bound to. Web checks each form's CSRF field itself before it gets here (session.ts), so
 * a forged form never turns into an API call that carries the header.
 */
export class ApiClient {
  private readonly doFetch: typeof fetch;
  private readonly opts: ApiClientOptions;
  private readonly edgeToken: string | undefined;
  constructor(opts: ApiClientOptions) {
    this.opts = opts;
    this.doFetch = opts.fetch ?? fetch;
    this.edgeToken = opts.serviceToken ? edgeToken(opts.serviceToken) : undefined;
  }

  get baseUrl(): string {
    return this.opts.baseUrl;
  }

  async call<T = unknown>(
    c: Context<WebEnv>,
    method: string,
    path: string,
    opts: CallOptions = {},
  ): Promise<ApiResult<T>> {
    const url = new URL(path, this.opts.baseUrl);
    // The shopper's cookies only ever go to the gateway's /api: a path built from user input that
    // climbs out (`..`, `//host`, an absolute URL) is refused here, whatever the caller checked.
    const base = new URL(this.opts.baseUrl);
    if (url.origin !== base.origin || !url.pathname.startsWith('/api/') || /(^|\/)\.\.?(\/|$)/.test(path)) {
      c.get('log')?.warn({ path: path.slice(0, 200) }, 'refused an API path outside /api');
      throw new ApiError({ status: 404, title: 'Not Found', code: 'outside_api' });
    }
    for (const [k, v] of Object.entries(opts.query ?? {})) {
      if (v === undefined || v === null || v === '') continue;
      if (Array.isArray(v)) for (const item of v) url.searchParams.append(k, String(item));
      else url.searchParams.set(k, String(v));
    }
    const headers = new Headers({ accept: 'application/json' });
    const requestId = c.get('requestId');
    if (requestId) headers.set('x-request-id', requestId);
    // The shopper's address, as the gateway told us when it forwarded the page: with the edge
    // token the gateway counts this call against the shopper (rate limits, sign-in limits).
    const clientIp = c.req.header(CLIENT_IP_HEADER);
    if (clientIp && this.edgeToken) {
      headers.set(CLIENT_IP_HEADER, clientIp);
      headers.set(EDGE_TOKEN_HEADER, this.edgeToken);
    }
    const ua = c.req.header('user-agent');
    if (ua) headers.set('user-agent', ua);
    if (opts.credentials !== false) {
      const access = getCookie(c, ACCESS_COOKIE);
      const csrf = getCookie(c, SESSION_CSRF_COOKIE);
      const jar: string[] = [];
      if (access) jar.push(`${ACCESS_COOKIE}=${access}`);
      if (csrf) jar.push(`${SESSION_CSRF_COOKIE}=${csrf}`);
      if (jar.length > 0) headers.set('cookie', jar.join('; '));
      if (access && csrf && !SAFE.has(method)) headers.set(CSRF_HEADER, csrf);
    }
    for (const [k, v] of Object.entries(opts.headers ?? {})) if (v !== undefined) headers.set(k, v);
    let body: string | undefined;
    if (opts.json !== undefined) {
      headers.set('content-type', 'application/json');
      body = JSON.stringify(opts.json);
    }
    let res: Response;
    try {
      res = await this.doFetch(url, { method, headers, body, signal: AbortSignal.timeout(this.opts.timeoutMs) });
    } catch (err) {
      c.get('log')?.warn({ err, path }, 'gateway unreachable');
      const problem: ApiProblem = { status: 503, title: 'Service Unavailable', code: 'unreachable' };
      return { status: 503, ok: false, body: undefined as T, problem, headers: new Headers() };
    }
    if (opts.relayCookies)
      for (const cookie of res.headers.getSetCookie()) c.header('set-cookie', cookie, { append: true });
    const text = await res.text();
    let parsed: unknown;
    if (text && (res.headers.get('content-type') ?? '').includes('json')) {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = undefined;
      }
    }
    const problem = res.ok
      ? undefined
      : ({ status: res.status, ...(typeof parsed === 'object' && parsed ? parsed : {}) } as ApiProblem);
    return { status: res.status, ok: res.ok, body: parsed as T, problem, headers: res.headers };
  }

  /** `call`, but an error answer throws ApiError (the app's error handler renders it kindly). */
  async must<T = unknown>(c: Context<WebEnv>, method: string, path: string, opts: CallOptions = {}): Promise<T> {
    const r = await this.call<T>(c, method, path, opts);
    if (r.problem) throw new ApiError(r.problem);
    return r.body;
  }

  get<T = unknown>(c: Context<WebEnv>, path: string, query?: CallOptions['query']): Promise<T> {
    return this.must<T>(c, 'GET', path, { query });
  }
}
