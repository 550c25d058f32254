import { ACCESS_COOKIE, isStaff as kitIsStaff } from '@storefront/kit';
import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { Child } from 'hono/jsx';
import { type ApiProblem, SESSION_CSRF_COOKIE } from '../api.ts';
import type { WebEnv } from '../env.ts';
import { friendlyMessage } from '../errors.tsx';
import { Main, type PageOptions, renderPage } from '../layout.tsx';
import { PostForm } from '../ui.tsx';

/** Where a sign-in goes when it was not sent anywhere. */
export const DEFAULT_NEXT = '/account';

/**
 * A `next` that stays on this site: a relative path only ("/account/orders?x=1"), never a scheme,
 * a protocol-relative "//host", a backslash trick ("/\\host") or control characters — no open
 * redirect. Anything else becomes `fallback`.
 */
export function safeNext(raw: unknown, fallback = DEFAULT_NEXT): string {
  if (typeof raw !== 'string' || raw.length === 0 || raw.length > 500) return fallback;
  if (!raw.startsWith('/') || raw.startsWith('//') || raw.includes('\\')) return fallback;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters is the point.
  if (/[\u0000-\u001f\u007f\s]/.test(raw)) return fallback;
  let url: URL;
  try {
    url = new URL(raw, 'http://same.invalid');
  } catch {
    return fallback;
  }
  if (url.origin !== 'http://same.invalid') return fallback;
  const out = `${url.pathname}${url.search}${url.hash}`;
  // Signing out or back into the sign-in page is never where a sign-in should land.
  if (/^\/account\/(sign-out|sign-in|welcome)(\/|$|\?)/.test(out)) return fallback;
  return out;
}

/** The sign-in page that comes back to `next` (none: the account, or the console for staff). */
export function signInUrl(next: string): string {
  return !next ? '/account/sign-in' : `/account/sign-in?next=${encodeURIComponent(next)}`;
}

/** The path and query of this request, as a `next` for the sign-in page. */
export function hereAsNext(c: Context<WebEnv>): string {
  const url = new URL(c.req.url);
  return safeNext(`${url.pathname}${url.search}`);
}

export function isStaff(roles: readonly string[] | undefined): boolean {
  return kitIsStaff(roles ?? []);
}

/**
 * Pages behind sign-in. A guest goes to the sign-in page with `next`; a session whose access token
 * has just expired gets a page that lets app.js refresh it (the refresh cookie only goes to
 * /api/identity, so only the browser can), and a sign-in link for when that fails or script is off.
 */
export function requireSignIn(): MiddlewareHandler<WebEnv> {
  return async function requireSignInMiddleware(c, next) {
    if (c.get('viewer')) return next();
    const target = c.req.method === 'GET' ? hereAsNext(c) : '';
    if (c.get('sessionExpired') && c.req.method === 'GET') {
      return renderPage(c, {
        title: 'Welcome back',
        status: 401,
        area: 'account',
        scripts: ['account.js'],
        children: (
          <Main class="message-page">
            <h1>Welcome back</h1>
            <p data-session-restore={signInUrl(target)}>Restoring your session…</p>
            <p>
              If this page does not change, <a href={signInUrl(target)}>sign in again</a>.
            </p>
          </Main>
        ),
      });
    }
    return c.redirect(signInUrl(target), 303);
  };
}

/** The account area's own menu (under the shop header). */
export function AccountMenu(props: { c: Context<WebEnv>; current: string }) {
  const { c, current } = props;
  const items = [
    { href: '/account', label: 'Overview' },
    { href: '/account/orders', label: 'Orders and returns' },
    { href: '/account/sessions', label: 'Signed-in devices' },
  ];
  const staff = isStaff(c.get('viewer')?.roles);
  return (
    <nav class="acct-menu" aria-label="Your account">
      <ul>
        {items.map((i) => (
          <li>
            <a
              href={i.href}
              aria-current={
                current === i.href || (i.href !== '/account' && current.startsWith(`${i.href}/`)) ? 'page' : undefined
              }
            >
              {i.label}
            </a>
          </li>
        ))}
        {staff ? (
          <li>
            <a href="/admin">Admin console</a>
          </li>
        ) : null}
        <li>
          <PostForm action="/account/sign-out" csrf={c.get('csrf')} class="acct-signout">
            <button type="submit" class="secondary">
              Sign out
            </button>
          </PostForm>
        </li>
      </ul>
    </nav>
  );
}

/** A signed-in account page: the shop header, the account menu, then the page. */
export function renderAccount(
  c: Context<WebEnv>,
  opts: Omit<PageOptions, 'children' | 'area'> & { children: Child; current?: string },
): Promise<Response> {
  const { current, children, ...rest } = opts;
  return renderPage(c, {
    ...rest,
    area: 'account',
    noStore: true,
    scripts: ['account.js', ...(opts.scripts ?? [])],
    children: (
      <Main class="acct">
        <AccountMenu c={c} current={current ?? c.req.path} />
        {children}
      </Main>
    ),
  });
}

/** A signed-out form page (sign-in, sign-up, reset…): narrow, with the account script. */
export function renderAuth(
  c: Context<WebEnv>,
  opts: Omit<PageOptions, 'children' | 'area'> & { children: Child; referrerPolicy?: boolean },
): Promise<Response> {
  const { children, referrerPolicy, ...rest } = opts;
  // Pages with a secret in the address (verification and reset links) never leak it in a Referer.
  if (referrerPolicy) c.header('referrer-policy', 'no-referrer');
  return renderPage(c, {
    ...rest,
    area: 'account',
    noStore: true,
    scripts: ['account.js', ...(opts.scripts ?? [])],
    children: <Main class="acct acct-auth">{children}</Main>,
  });
}

/** Seconds to wait, from a 429's problem (`retryAfter`) or its Retry-After header. */
export function retryAfterSeconds(problem: ApiProblem | undefined, headers?: Headers): number | undefined {
  const fromProblem = typeof problem?.retryAfter === 'number' ? problem.retryAfter : undefined;
  const fromHeader = Number(headers?.get('retry-after') ?? Number.NaN);
  const s = fromProblem ?? (Number.isFinite(fromHeader) ? fromHeader : undefined);
  return s !== undefined && s > 0 ? Math.ceil(s) : undefined;
}

function waitText(seconds: number | undefined): string {
  if (!seconds) return 'a little while';
  if (seconds < 60) return 'a minute';
  const minutes = Math.ceil(seconds / 60);
  if (minutes < 60) return `about ${minutes} minute${minutes === 1 ? '' : 's'}`;
  const hours = Math.ceil(minutes / 60);
  return `about ${hours} hour${hours === 1 ? '' : 's'}`;
}

/** The kind words for a refused sign-in, sign-up or link request, by status (never a raw detail). */
export function authMessage(problem: ApiProblem, headers?: Headers, what = 'signing in'): string {
  if (problem.status === 429) {
    return `For your security we have paused ${what} for a moment after several attempts. Please wait ${waitText(
      retryAfterSeconds(problem, headers),
    )} and try again.`;
  }
  if (problem.status === 503 || problem.code === 'unreachable') {
    return `${what.charAt(0).toUpperCase()}${what.slice(1)} is unavailable for a moment. Please try again shortly.`;
  }
  if (problem.status >= 500) return 'Something went wrong on our side. Please try again in a moment.';
  return friendlyMessage(problem);
}

/** The short-lived MFA step between password and session: web's own HttpOnly cookie. */
export const MFA_COOKIE = 'sf_mfa';

export function setMfaChallenge(c: Context<WebEnv>, challenge: string, expiresIn: number): void {
  setCookie(c, MFA_COOKIE, challenge, {
    httpOnly: true,
    sameSite: 'Strict',
    secure: c.get('config').COOKIE_SECURE,
    path: '/account',
    maxAge: Math.max(30, Math.min(expiresIn, 900)),
  });
}

export function getMfaChallenge(c: Context<WebEnv>): string | undefined {
  const v = getCookie(c, MFA_COOKIE);
  return v && /^[\w-]{16,200}$/.test(v) ? v : undefined;
}

export function clearMfaChallenge(c: Context<WebEnv>): void {
  deleteCookie(c, MFA_COOKIE, { path: '/account', secure: c.get('config').COOKIE_SECURE });
}

/** Identity's cookies, cleared by web itself when identity could not be asked to (sign-out fallback). */
export function clearSessionCookies(c: Context<WebEnv>): void {
  const secure = c.get('config').COOKIE_SECURE;
  deleteCookie(c, ACCESS_COOKIE, { path: '/', secure });
  deleteCookie(c, SESSION_CSRF_COOKIE, { path: '/', secure });
  deleteCookie(c, 'sf_rt', { path: '/api/identity/', secure });
}
