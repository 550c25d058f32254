import { type Context, Hono } from 'hono';
import { z } from 'zod';
import type { WebEnv } from '../env.ts';
import { friendlyMessage, notFoundPage } from '../errors.tsx';
import { formatDate, Notice, PostForm } from '../ui.tsx';
import { parseParam, parseQuery } from '../validate.ts';
import { clearMfaChallenge, clearSessionCookies, renderAccount } from './shared.tsx';

interface SessionView {
  id: string;
  current: boolean;
  createdAt: string;
  lastUsedAt: string;
  expiresAt: string;
  ip: string | null;
  userAgent: string | null;
  mfa: boolean;
  mode: 'bearer' | 'cookie';
}

const DONE: Record<string, string> = {
  revoked: 'That device is signed out.',
};

/** What the page says after "sign out all other devices" ended `n` sessions. */
export function othersSignedOut(n: number): string {
  if (n === 0) return 'No other device was signed in. This device stays signed in.';
  return `Signed out ${n} other ${n === 1 ? 'device' : 'devices'}. This device stays signed in.`;
}

/** "Firefox on Windows" from a User-Agent, or a plain fallback; never the raw string as a heading. */
export function describeDevice(ua: string | null, mode: SessionView['mode']): string {
  if (!ua) return mode === 'bearer' ? 'An app' : 'A browser';
  const browser = /Edg\//.test(ua)
    ? 'Edge'
    : /OPR\//.test(ua)
      ? 'Opera'
      : /Firefox\//.test(ua)
        ? 'Firefox'
        : /Chrome\/|Chromium\//.test(ua)
          ? 'Chrome'
          : /Safari\//.test(ua)
            ? 'Safari'
            : mode === 'bearer'
              ? 'An app'
              : 'A browser';
  const os = /iPhone|iPad|iPod/.test(ua)
    ? 'iOS'
    : /Android/.test(ua)
      ? 'Android'
      : /Windows/.test(ua)
        ? 'Windows'
        : /Mac OS X|Macintosh/.test(ua)
          ? 'macOS'
          : /CrOS/.test(ua)
            ? 'ChromeOS'
            : /Linux/.test(ua)
              ? 'Linux'
              : undefined;
  return os ? `${browser} on ${os}` : browser;
}

const Id = z.uuid();

/** Where this account is signed in: the current session marked, end one, all the others, or all of them. */
export function sessionRoutes(): Hono<WebEnv> {
  const app = new Hono<WebEnv>();

  app.get('/sessions', async (c) => {
    const { done, error, n } = parseQuery(
      c,
      z.object({
        done: z.string().max(40).optional(),
        error: z.string().max(40).optional(),
        n: z.coerce.number().int().min(0).max(1000).optional(),
      }),
    );
    const { items } = await c.get('api').get<{ items: SessionView[] }>(c, '/api/identity/sessions');
    const sessions = [...items].sort((a, b) => Number(b.current) - Number(a.current));
    const others = sessions.filter((s) => !s.current).length;
    return renderAccount(c, {
      title: 'Signed-in devices',
      current: '/account/sessions',
      children: (
        <>
          <h1>Signed-in devices</h1>
          {done && DONE[done] ? <Notice tone="success">{DONE[done]}</Notice> : null}
          {done === 'others' ? <Notice tone="success">{othersSignedOut(n ?? 0)}</Notice> : null}
          {error === 'revoke' ? (
            <Notice tone="error">We could not sign that device out. Please try again.</Notice>
          ) : null}
          {error === 'others' ? (
            <Notice tone="error">
              We could not sign out your other devices just now. Please try again in a moment.
            </Notice>
          ) : null}
          {error === 'all' ? (
            <Notice tone="error">
              We could not sign out every device just now, so some may still be signed in. Please try again in a moment.
            </Notice>
          ) : null}
          <p>
            These are the browsers and apps signed in to your account. If you do not recognise one, sign it out and{' '}
            <a href="/account/forgot">change your password</a>.
          </p>
          <table class="responsive acct-sessions">
            <caption class="visually-hidden">Your sessions</caption>
            <thead>
              <tr>
                <th scope="col">Device</th>
                <th scope="col">Address</th>
                <th scope="col">Signed in</th>
                <th scope="col">Last active</th>
                <th scope="col">
                  <span class="visually-hidden">Action</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {sessions.map((s) => (
                <tr>
                  <td data-label="Device">
                    {describeDevice(s.userAgent, s.mode)}
                    {s.current ? <span class="status status-confirmed acct-current">This device</span> : null}
                    {s.mfa ? <span class="muted"> · two-step verified</span> : null}
                  </td>
                  <td data-label="Address">{s.ip ?? 'Unknown'}</td>
                  <td data-label="Signed in">{formatDate(s.createdAt)}</td>
                  <td data-label="Last active">{formatDate(s.lastUsedAt)}</td>
                  <td data-label="Action">
                    {s.current ? (
                      <PostForm action="/account/sign-out" csrf={c.get('csrf')}>
                        <button type="submit" class="secondary">
                          Sign out here
                        </button>
                      </PostForm>
                    ) : (
                      <PostForm action={`/account/sessions/${s.id}/revoke`} csrf={c.get('csrf')}>
                        <button type="submit" class="secondary">
                          Sign out {describeDevice(s.userAgent, s.mode)}
                          <span class="visually-hidden"> signed in {formatDate(s.createdAt)}</span>
                        </button>
                      </PostForm>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <h2>Sign out other devices</h2>
          {others > 0 ? (
            <>
              <p>
                Signs out the {others === 1 ? 'other device' : `${others} other devices`} listed above. This device
                stays signed in.
              </p>
              <PostForm
                action="/account/sessions/revoke-others"
                csrf={c.get('csrf')}
                data-confirm={`Sign out ${others === 1 ? 'the other device' : `all ${others} other devices`}? This device stays signed in.`}
              >
                <button type="submit" class="secondary">
                  Sign out all other devices
                </button>
              </PostForm>
            </>
          ) : (
            <p>No other device is signed in.</p>
          )}
          <h2>Sign out everywhere</h2>
          <p>
            Signs out {others > 0 ? `all ${others + 1} sessions, this one included` : 'this device'}. You will need to
            sign in again.
          </p>
          <PostForm
            action="/account/sessions/revoke-all"
            csrf={c.get('csrf')}
            data-confirm="Sign out on every device, this one included?"
          >
            <button type="submit" class="danger">
              Sign out everywhere
            </button>
          </PostForm>
        </>
      ),
    });
  });

  app.post('/sessions/:id/revoke', async (c) => {
    const id = parseParam(c.req.param('id'), Id);
    if (!id) return notFoundPage(c, 'session');
    const r = await c.get('api').call(c, 'DELETE', `/api/identity/sessions/${id}`);
    if (r.ok || r.status === 404) return c.redirect('/account/sessions?done=revoked', 303);
    if (r.status === 401) return c.redirect('/account/sign-in?next=%2Faccount%2Fsessions', 303);
    c.get('log')?.warn(
      { status: r.status, detail: friendlyMessage(r.problem ?? { status: r.status }) },
      'revoke failed',
    );
    return c.redirect('/account/sessions?error=revoke', 303);
  });

  // Identity ends every other session in one call and keeps this one.
  const revokeOthers = (c: Context<WebEnv>) =>
    c.get('api').call<{ revoked: number }>(c, 'POST', '/api/identity/sessions/revoke-others');

  app.post('/sessions/revoke-others', async (c) => {
    const r = await revokeOthers(c);
    if (r.status === 401) return c.redirect('/account/sign-in?next=%2Faccount%2Fsessions', 303);
    if (!r.ok || typeof r.body?.revoked !== 'number') return c.redirect('/account/sessions?error=others', 303);
    return c.redirect(`/account/sessions?done=others&n=${r.body.revoked}`, 303);
  });

  app.post('/sessions/revoke-all', async (c) => {
    const api = c.get('api');
    // Every other session first, then this one: if the first step fails this device stays signed in to retry.
    const others = await revokeOthers(c);
    if (others.status === 401) return c.redirect('/account/sign-in', 303);
    if (!others.ok) return c.redirect('/account/sessions?error=all', 303);
    const r = await api.call(c, 'POST', '/api/identity/logout', { relayCookies: true });
    if (!r.ok) clearSessionCookies(c);
    clearMfaChallenge(c);
    return c.redirect('/account/sign-in?done=signed-out-everywhere', 303);
  });

  return app;
}
