import {
  type AuthEnv,
  authenticate,
  callerOf,
  createRoute,
  createRouter,
  NotFound,
  requireMfa,
  requireRole,
  ValidationFailed,
  z,
} from '@storefront/kit';
import { accountActor, accountTarget, recordAudit } from './audit.ts';
import type { Identity } from './context.ts';
import { liveSession } from './my-sessions.ts';
import { requestMeta } from './request-meta.ts';
import { IdParam, json, Role } from './schemas.ts';
import { type AccountSummary, accountDetail, searchAccounts } from './store-account-search.ts';

const tags = ['staff'];

/** What staff see of an account: never a password hash, an MFA secret or a recovery code. */
const AccountListItem = z
  .object({
    id: z.string(),
    email: z.string(),
    displayName: z.string().nullable().describe('the name the customer gave, if any'),
    roles: z.array(Role),
    emailVerified: z.boolean(),
    mfaEnabled: z.boolean(),
    disabled: z.boolean(),
    createdAt: z.string(),
  })
  .openapi('AccountListItem');

const AccountDetailOut = AccountListItem.extend({
  emailVerifiedAt: z.string().nullable(),
  mfaEnabledAt: z.string().nullable(),
  disabledAt: z.string().nullable(),
  updatedAt: z.string(),
  lastSignInAt: z.string().nullable().describe('when its newest session started (a sign-in)'),
  lastActiveAt: z.string().nullable().describe('the newest use of any of its sessions'),
  liveSessions: z.number().int().describe('sessions neither ended nor expired'),
}).openapi('AccountDetail');

const Query = z.object({
  email: z
    .string()
    .max(254)
    .trim()
    .toLowerCase()
    .pipe(z.string().regex(/^[\x21-\x7e]*$/, 'printable characters without spaces'))
    .optional()
    .describe('email prefix, case-insensitive: "ada@" or "ada@shop.te"'),
  role: Role.optional(),
  cursor: z.string().max(400).optional().describe('nextCursor of the previous page'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

const encodeCursor = (email: string) => Buffer.from(`e:${email}`).toString('base64url');
function decodeCursor(cursor: string): string | undefined {
  if (!/^[\w-]+$/.test(cursor)) return undefined;
  const m = /^e:([\x21-\x7e]{1,254})$/.exec(Buffer.from(cursor, 'base64url').toString());
  return m?.[1];
}

const iso = (d: Date | null) => d?.toISOString() ?? null;
const listItem = (a: AccountSummary) => ({
  id: a.id,
  email: a.email,
  displayName: a.displayName,
  roles: a.roles,
  emailVerified: a.emailVerifiedAt !== null,
  mfaEnabled: a.mfaEnabledAt !== null,
  disabled: a.disabledAt !== null,
  createdAt: a.createdAt.toISOString(),
});

/**
 * Support and admins (MFA) find accounts and look at one: the reads behind the customers pages of
 * the admin console. Each read is audited (staff looking at personal data is worth a record).
 */
export function accountRoutes(idn: Identity) {
  const meta = (c: Parameters<typeof requestMeta>[0]) => requestMeta(c, idn.config.TRUSTED_PROXY_HOPS);
  const middleware = [
    authenticate({ verifier: idn.verifier }),
    liveSession(idn),
    requireRole('admin', 'support'),
    requireMfa(),
  ];
  const list = createRoute({
    method: 'get',
    path: '/accounts',
    tags,
    middleware,
    summary: 'Staff (support, admin; MFA): accounts by email prefix and role, in email order',
    description:
      'Keyset pagination: pass `nextCursor` as `cursor`. Answers never carry secrets (password hashes, MFA secrets).',
    request: { query: Query },
    responses: {
      200: json(z.object({ items: z.array(AccountListItem), nextCursor: z.string().nullable() }), 'A page'),
    },
  });
  const detail = createRoute({
    method: 'get',
    path: '/accounts/{id}',
    tags,
    middleware,
    summary: 'Staff (support, admin; MFA): one account with its sign-in activity and live sessions',
    request: { params: IdParam },
    responses: { 200: json(AccountDetailOut, 'The account') },
  });

  return createRouter<AuthEnv>()
    .openapi(list, async (c) => {
      const q = c.req.valid('query');
      const after = q.cursor === undefined ? undefined : decodeCursor(q.cursor);
      if (q.cursor !== undefined && after === undefined) {
        throw new ValidationFailed('query.cursor: not a cursor from this API', [
          { path: 'query.cursor', message: 'not a cursor from this API' },
        ]);
      }
      const rows = await searchAccounts(idn.db, { prefix: q.email || undefined, role: q.role, after, limit: q.limit });
      const page = rows.slice(0, q.limit);
      const last = page[page.length - 1];
      await recordAudit(idn, idn.db, meta(c), {
        action: 'account.search',
        actor: accountActor(callerOf(c).id),
        details: { filter: { email: q.email, role: q.role }, results: page.length },
      });
      return c.json(
        { items: page.map(listItem), nextCursor: rows.length > q.limit && last ? encodeCursor(last.email) : null },
        200,
      );
    })
    .openapi(detail, async (c) => {
      const { id } = c.req.valid('param');
      const a = await accountDetail(idn.db, id, idn.clock());
      if (!a) throw new NotFound('no such account');
      await recordAudit(idn, idn.db, meta(c), {
        action: 'account.view',
        actor: accountActor(callerOf(c).id),
        target: accountTarget(id),
      });
      return c.json(
        {
          ...listItem(a),
          emailVerifiedAt: iso(a.emailVerifiedAt),
          mfaEnabledAt: iso(a.mfaEnabledAt),
          disabledAt: iso(a.disabledAt),
          updatedAt: a.updatedAt.toISOString(),
          lastSignInAt: iso(a.lastSignInAt),
          lastActiveAt: iso(a.lastActiveAt),
          liveSessions: a.liveSessions,
        },
        200,
      );
    });
}
