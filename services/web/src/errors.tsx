import type { Context } from 'hono';
import { ApiError, type ApiProblem } from './api.ts';
import type { WebEnv } from './env.ts';
import { Main, type PageOptions, renderPage } from './layout.tsx';
import { CsrfRejected } from './session.ts';

/** Messages a shopper understands, by the problem `code` the services send. Pages may add their own. */
const BY_CODE: Record<string, string> = {
  card_declined: 'Your card was declined. Please try another card or payment method.',
  insufficient_funds: 'Your card was declined for insufficient funds. Please try another card.',
  expired_card: 'Your card has expired. Please use another card.',
  incorrect_cvc: 'The security code (CVC) is not correct.',
  out_of_stock: 'Sorry, some items are no longer available in the quantity you asked for.',
  insufficient_stock: 'Sorry, some items are no longer available in the quantity you asked for.',
  promotion_not_found: 'That promotion code is not valid.',
  promotion_expired: 'That promotion code has expired.',
  promotion_exhausted: 'That promotion code has been fully used.',
  promotion_not_applicable: 'That promotion code does not apply to this cart.',
  csrf_failed: 'Your session changed in another tab. Please reload the page and try again.',
  mfa_required: 'This page needs a sign-in with two-factor authentication.',
  invalid_credentials: 'That email and password do not match an account.',
  account_locked: 'Too many attempts. For your security, please wait a while before trying again.',
  unreachable: 'We could not reach our servers. Please try again in a moment.',
};

/** A sentence for the shopper; never a stack or an internal detail of a 5xx. */
export function friendlyMessage(p: ApiProblem, overrides: Record<string, string> = {}): string {
  const code = typeof p.code === 'string' ? p.code : undefined;
  if (code && overrides[code]) return overrides[code] as string;
  if (code && BY_CODE[code]) return BY_CODE[code] as string;
  if (p.status === 401) return 'Please sign in to continue.';
  if (p.status === 403) return 'You do not have access to this.';
  if (p.status === 404) return 'We could not find what you were looking for.';
  if (p.status === 429) return 'You are going a little fast. Please wait a moment and try again.';
  if (p.status >= 500) return 'Something went wrong on our side. Please try again in a moment.';
  if (p.errors && p.errors.length > 0) return p.errors.map((e) => e.message).join(' ');
  // 4xx details are written for people by the services ("quantity must be at most 99").
  if (p.detail && p.detail.length < 300) return p.detail.charAt(0).toUpperCase() + p.detail.slice(1);
  return 'That did not work. Please check and try again.';
}

/** Field name → message, from a 422's `errors` (for inline form errors). */
export function fieldErrors(p: ApiProblem | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of p?.errors ?? []) {
    // Services name fields `body.name` (or a JSON pointer `/body/name`): the form field is `name`.
    const path = (e.path ?? e.pointer ?? '').replace(/^\/?(body[./])?/, '').replace(/\//g, '.');
    if (path && !out[path]) out[path] = e.message;
  }
  return out;
}

export function notFoundPage(c: Context<WebEnv>, what = 'page'): Promise<Response> {
  return renderPage(c, {
    title: 'Not found',
    status: 404,
    children: (
      <Main class="message-page">
        <h1>We can't find that {what}</h1>
        <p>It may have moved or no longer exist.</p>
        <p>
          <a href="/">Go to the home page</a> or <a href="/search">search the shop</a>.
        </p>
      </Main>
    ),
  });
}

/**
 * A same-site path to send a person back to: always one leading slash, so a request for
 * `//other.example/x` (or `/\\other.example`) never becomes a link to another site.
 */
export function sitePath(path: string, search = ''): string {
  // Browsers drop tabs and newlines inside a URL, so `/\n/x` would be `//x`: no control characters at all.
  const visible = (s: string) => [...s].filter((ch) => ch > '\u001f' && ch !== '\u007f').join('');
  return `/${visible(path).replace(/^[/\\\s]+/, '')}${visible(search)}`;
}

/**
 * Where "Try again" goes: the same address for a page (GET); for a form post, the page the form
 * was on (the Referer's path, on this site) — the post's own address may not exist as a page.
 */
function retryHref(c: Context<WebEnv>, retry: string | null | undefined): string | null {
  if (retry !== undefined) return retry === null ? null : sitePath(retry);
  if (c.req.method === 'GET' || c.req.method === 'HEAD') return sitePath(c.req.path, new URL(c.req.url).search);
  const referer = c.req.header('referer');
  if (!referer) return null;
  try {
    const u = new URL(referer);
    return sitePath(u.pathname, u.search);
  } catch {
    return null;
  }
}

export function errorPage(
  c: Context<WebEnv>,
  opts: {
    status: PageOptions['status'];
    title: string;
    message: string;
    /** The "Try again" link (a path on this site); null for none. Default: see `retryHref`. */
    retry?: string | null;
  },
): Promise<Response> {
  const retry = retryHref(c, opts.retry);
  return renderPage(c, {
    title: opts.title,
    status: opts.status,
    noStore: true,
    children: (
      <Main class="message-page">
        <h1>{opts.title}</h1>
        <p>{opts.message}</p>
        <p>
          {retry ? (
            <>
              <a href={retry}>Try again</a> ·{' '}
            </>
          ) : null}
          <a href="/">Home</a>
        </p>
        <p class="muted">Reference: {c.get('requestId')}</p>
      </Main>
    ),
  });
}

const STATUS_PAGE: Record<number, { status: PageOptions['status']; title: string }> = {
  403: { status: 403, title: 'Not allowed' },
  404: { status: 404, title: 'Not found' },
  429: { status: 429, title: 'Please slow down' },
};

/**
 * Every failure becomes a page: an API error a shopper can act on, a sign-in for a 401, a kind
 * 500/503 with the request id (for support) and nothing else. Stacks only go to the log.
 */
export async function renderError(err: unknown, c: Context<WebEnv>): Promise<Response> {
  if (err instanceof CsrfRejected) {
    return errorPage(c, {
      status: 403,
      title: 'Please try that again',
      message: 'This form had expired or came from another page. Go back, reload the page and submit it again.',
    });
  }
  if (err instanceof ApiError) {
    const p = err.problem;
    if (p.status === 401 && c.req.method === 'GET') {
      return c.redirect(`/account/sign-in?next=${encodeURIComponent(c.req.path + (new URL(c.req.url).search ?? ''))}`);
    }
    if (p.status === 404) return notFoundPage(c);
    const known = STATUS_PAGE[p.status];
    if (p.status === 429 || p.status === 503) {
      // Tell the browser (and a crawler) when to come back, as the API told us.
      const after = Number(p.retryAfter ?? p.retry_after);
      if (Number.isFinite(after) && after > 0) c.header('retry-after', String(Math.ceil(Math.min(after, 3600))));
    }
    if (known) return errorPage(c, { ...known, message: friendlyMessage(p) });
    if (p.status >= 500) {
      c.get('log')?.warn({ problem: p, path: c.req.path }, 'an API call failed while rendering');
      return errorPage(c, { status: 503, title: 'Something went wrong', message: friendlyMessage(p) });
    }
    if (c.req.method === 'GET' && (p.status === 400 || p.status === 422)) {
      // A page's only input is its address: the API refused part of it (a stale cursor, an odd
      // filter). The same address again would fail the same way, so "Try again" drops the query.
      const said = friendlyMessage(p);
      return errorPage(c, {
        status: 400,
        title: 'That link is not right',
        message: `${said}${/[.!?]$/.test(said) ? '' : '.'} Open the page without it, or go back and try another link.`,
        retry: c.req.path,
      });
    }
    return errorPage(c, { status: 400, title: 'That did not work', message: friendlyMessage(p) });
  }
  c.get('log')?.error({ err }, 'page failed');
  try {
    return await errorPage(c, {
      status: 500,
      title: 'Something went wrong',
      message: 'Something went wrong on our side. Please try again in a moment.',
    });
  } catch {
    return c.html('<!doctype html><title>Error</title><h1>Something went wrong</h1><p>Please try again.</p>', 500);
  }
}
