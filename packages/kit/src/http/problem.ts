import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ZodError } from 'zod';
import { DomainError, type FieldError } from '../errors.ts';

export const PROBLEM_JSON = 'application/problem+json';

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  code: string;
  requestId?: string;
  [extension: string]: unknown;
}

const TITLES: Record<number, [string, string]> = {
  400: ['Bad request', 'bad_request'],
  401: ['Authentication required', 'unauthorized'],
  403: ['Forbidden', 'forbidden'],
  404: ['Not found', 'not_found'],
  405: ['Method not allowed', 'method_not_allowed'],
  408: ['Request timeout', 'timeout'],
  409: ['Conflict', 'conflict'],
  413: ['Payload too large', 'payload_too_large'],
  415: ['Unsupported media type', 'unsupported_media_type'],
  422: ['Validation failed', 'validation_failed'],
  429: ['Too many requests', 'rate_limited'],
  500: ['Internal server error', 'internal'],
  502: ['Bad gateway', 'bad_gateway'],
  503: ['Service unavailable', 'unavailable'],
  504: ['Gateway timeout', 'gateway_timeout'],
};

export function problem(status: number, detail?: string, extra: Partial<Problem> = {}): Problem {
  const [title, code] = TITLES[status] ?? ['Error', 'error'];
  return {
    type: `https://storefront.dev/problems/${extra.code ?? code}`,
    title,
    status,
    code,
    ...(detail === undefined ? {} : { detail }),
    ...extra,
  };
}

export function problemResponse(c: Context, p: Problem, headers: Record<string, string> = {}): Response {
  const requestId = c.get('requestId' as never) as string | undefined;
  const body: Problem = { ...p, instance: p.instance ?? c.req.path, ...(requestId ? { requestId } : {}) };
  return c.body(JSON.stringify(body), p.status as ContentfulStatusCode, {
    'content-type': PROBLEM_JSON,
    ...headers,
  });
}

/** zod issues → `[{ path: 'body.items.0.qty', message }]`, the shape clients can show next to a field. */
export function fieldErrors(error: ZodError, source: string): FieldError[] {
  return error.issues.slice(0, 50).map((i) => ({
    path: [source, ...i.path.map(String)].join('.'),
    message: i.message,
  }));
}

/** The one place an error becomes an HTTP answer. Unknown errors are 500 with no internals shown. */
export function toProblem(err: unknown): { problem: Problem; headers: Record<string, string>; unexpected: boolean } {
  if (err instanceof DomainError) {
    return {
      problem: {
        ...problem(err.status, err.message),
        title: err.title,
        code: err.code,
        type: `https://storefront.dev/problems/${err.code}`,
        ...err.extensions,
      },
      headers:
        (err.status === 429 || err.status === 503) && typeof err.extensions.retryAfter === 'number'
          ? { 'retry-after': String(err.extensions.retryAfter) }
          : {},
      unexpected: false,
    };
  }
  if (err instanceof HTTPException) {
    const status = err.status;
    const detail =
      status === 400 && /json/i.test(err.message) ? 'The request body is not valid JSON.' : err.message || undefined;
    return { problem: problem(status, detail), headers: {}, unexpected: status >= 500 };
  }
  return {
    problem: problem(500, 'Something went wrong on our side. It has been logged.'),
    headers: {},
    unexpected: true,
  };
}
