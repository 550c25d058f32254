import { type Answer, CUSTOMER_ID, json, ORDER_ID, problem, STAFF_ID } from './ops-test-kit-fake.ts';

/** The fake identity API: accounts (list, one, roles, MFA reset, sessions) and the audit log. */
export const identityAnswer: Answer = (s, call, key) => {
  const q = call.query;
  const b = call.body;
  if (key === 'GET /api/identity/accounts') {
    const prefix = q.get('email') ?? '';
    const role = q.get('role');
    const items = s.accounts.filter(
      (a) => String(a.email).startsWith(prefix) && (!role || (a.roles as string[]).includes(role)),
    );
    return json(200, { items, nextCursor: null });
  }
  const acct = /^(GET|PUT|POST) \/api\/identity\/accounts\/([^/]+)(\/.*)?$/.exec(key);
  if (acct) {
    const a = s.accounts.find((x) => x.id === acct[2]);
    if (!a) return problem(404, 'not_found', 'no such account');
    if (!acct[3]) {
      return json(200, {
        ...a,
        emailVerifiedAt: '2025-01-01T00:05:00.000Z',
        mfaEnabledAt: a.mfaEnabled ? '2025-01-02T00:00:00.000Z' : null,
        disabledAt: null,
        updatedAt: '2025-01-01T00:00:00.000Z',
        lastSignInAt: '2025-03-01T09:00:00.000Z',
        lastActiveAt: '2025-03-01T09:30:00.000Z',
        liveSessions: 2,
      });
    }
    if (acct[3] === '/roles') {
      if (acct[2] === STAFF_ID) return problem(422, 'validation_failed', 'you cannot change your own roles');
      a.roles = b.roles;
      return json(200, { id: a.id, email: a.email, roles: a.roles });
    }
    if (acct[3] === '/mfa/reset') {
      a.mfaEnabled = false;
      return new Response(null, { status: 204 });
    }
    if (acct[3] === '/sessions/revoke') return json(200, { revoked: 2 });
  }
  if (key === 'GET /api/identity/audit') {
    return json(200, {
      items: [
        {
          id: 'e1',
          at: '2025-03-03T10:00:00.000Z',
          service: 'orders',
          action: 'order.refund',
          outcome: 'success',
          actor: { type: 'account', id: CUSTOMER_ID },
          target: { type: 'order', id: ORDER_ID },
          details: { amount: 5500, reason: 'late <delivery>', nested: { a: [1, 2] } },
        },
        {
          id: 'e2',
          at: '2025-03-03T09:00:00.000Z',
          service: 'inventory',
          action: 'stock.adjust.count',
          outcome: 'success',
          actor: { type: 'account', id: STAFF_ID },
          target: { type: 'stock', id: 'HP-1-BLK@wh-east' },
          details: { delta: -3, onHand: 0 },
        },
      ],
      nextCursor: 'YTox',
    });
  }
  return undefined;
};
