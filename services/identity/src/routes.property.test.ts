import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startIdentity } from './test-harness.ts';
import { bootstrapAndSignIn, type StaffLogin } from './test-staff.ts';

/** Whatever arrives at any identity route — junk bodies, tokens, cookies, ids — the answer is never a 5xx. */
describe('every identity route under arbitrary input', () => {
  let h: Harness;
  let admin: StaffLogin;
  let routes: { method: string; path: string }[];
  beforeAll(async () => {
    h = await startIdentity();
    admin = await bootstrapAndSignIn(h);
    const doc = (await h.call('GET', '/openapi.json')).body as { paths: Record<string, Record<string, unknown>> };
    routes = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((method) => ({ method: method.toUpperCase(), path })),
    );
  });
  afterAll(() => h.close());

  const text = fc.string({ maxLength: 80 });
  const field = fc.oneof(
    text,
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.emailAddress(),
    fc.uuid(),
    fc.stringMatching(/^\d{6}$/),
    fc.array(fc.constantFrom('customer', 'admin', 'support', 'root'), { maxLength: 4 }),
  );
  const body = fc.oneof(
    fc.constant(undefined),
    fc.jsonValue({ maxDepth: 2 }),
    fc.record(
      {
        email: field,
        password: field,
        token: field,
        challenge: field,
        code: field,
        recoveryCode: field,
        refreshToken: field,
        roles: field,
        mode: fc.constantFrom('bearer', 'cookie', 'x'),
        immediate: field,
        displayName: field,
      },
      { requiredKeys: [] },
    ),
  );

  it('never answers 500', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.nat(),
        fc.oneof(fc.uuid(), text),
        body,
        fc.constantFrom('none', 'admin', 'junk', 'cookie'),
        fc.option(text),
        fc.option(fc.constantFrom('?limit=0', '?cursor=zzz', '?from=yesterday', '?actor=x&limit=500', '?limit=2')),
        async (pick, id, payload, auth, csrf, query) => {
          const route = routes[pick % routes.length];
          if (!route) return;
          const path = route.path.replace('{id}', encodeURIComponent(id)) + (query ?? '');
          const headers: Record<string, string> = {};
          if (auth === 'junk') headers.authorization = `Bearer ${id}`;
          if (auth === 'cookie') headers.cookie = `sf_at=${id}; sf_rt=${id}`;
          if (csrf !== null) headers['x-csrf-token'] = csrf.replace(/[^\x20-\x7e]/g, '');
          const r = await h.call(route.method, path, {
            ...(payload === undefined || route.method === 'GET' ? {} : { body: payload }),
            // Logging the admin out would leave the rest of the run without a staff caller.
            ...(auth === 'admin' && route.path !== '/logout' ? { token: admin.accessToken } : {}),
            headers,
          });
          expect(r.status, `${route.method} ${path} → ${JSON.stringify(r.body)}`).toBeLessThan(500);
        },
      ),
      { numRuns: 300 },
    );
  });
});
