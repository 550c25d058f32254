import {
  type AuthEnv,
  authenticate,
  callerOf,
  createRoute,
  createRouter,
  requireMfa,
  requireRole,
  ValidationFailed,
  z,
} from '@storefront/kit';
import { accountActor, recordAudit } from './audit.ts';
import type { Identity } from './context.ts';
import { decodeCursor, encodeCursor } from './domain.ts';
import { liveSession } from './my-sessions.ts';
import { requestMeta } from './request-meta.ts';
import { json } from './schemas.ts';
import { queryAudit } from './store.ts';

const Entry = z
  .object({
    id: z.string(),
    at: z.string(),
    service: z.string(),
    action: z.string(),
    outcome: z.enum(['success', 'failure']),
    actor: z.object({ type: z.string(), id: z.string().nullable() }),
    target: z.object({ type: z.string(), id: z.string() }).nullable(),
    requestId: z.string().optional(),
    ip: z.string().optional(),
    details: z.record(z.string(), z.unknown()).optional(),
  })
  .openapi('AuditEntry');

const route = createRoute({
  method: 'get',
  path: '/audit',
  tags: ['staff'],
  summary: 'The append-only audit log, newest first (admin or support, with MFA). There is no route that changes it.',
  request: {
    query: z.object({
      actor: z.string().max(64).optional(),
      action: z.string().max(100).optional(),
      target: z.string().max(200).optional(),
      from: z.iso.datetime({ offset: true }).optional(),
      to: z.iso.datetime({ offset: true }).optional(),
      cursor: z.string().max(64).optional(),
      limit: z.coerce.number().int().min(1).max(200).default(50),
    }),
  },
  responses: { 200: json(z.object({ items: z.array(Entry), nextCursor: z.string().nullable() }), 'a page') },
});

export function auditRoutes(idn: Identity) {
  const guard = [
    authenticate({ verifier: idn.verifier }),
    liveSession(idn),
    requireRole('admin', 'support'),
    requireMfa(),
  ];
  const router = createRouter<AuthEnv>();
  router.use('/audit', ...guard);
  return router.openapi(route, async (c) => {
    const q = c.req.valid('query');
    const beforeSeq = q.cursor === undefined ? undefined : decodeCursor(q.cursor);
    if (q.cursor !== undefined && beforeSeq === undefined) {
      throw new ValidationFailed('query.cursor: not a cursor from this API', [
        { path: 'query.cursor', message: 'not a cursor from this API' },
      ]);
    }
    const rows = await queryAudit(idn.db, {
      actorId: q.actor,
      action: q.action,
      targetId: q.target,
      from: q.from ? new Date(q.from) : undefined,
      to: q.to ? new Date(q.to) : undefined,
      beforeSeq,
      limit: q.limit,
    });
    const page = rows.slice(0, q.limit);
    const last = page[page.length - 1];
    // Reading the log is itself a staff action worth recording.
    await recordAudit(idn, idn.db, requestMeta(c, idn.config.TRUSTED_PROXY_HOPS), {
      action: 'audit.read',
      actor: accountActor(callerOf(c).id),
      details: { filter: { actor: q.actor, action: q.action, target: q.target, from: q.from, to: q.to } },
    });
    return c.json(
      {
        items: page.map((r) => ({
          id: r.id,
          at: r.at.toISOString(),
          service: r.service,
          action: r.action,
          outcome: r.outcome,
          actor: r.actor,
          target: r.target,
          ...(r.requestId ? { requestId: r.requestId } : {}),
          ...(r.ip ? { ip: r.ip } : {}),
          ...(r.details ? { details: r.details } : {}),
        })),
        nextCursor: rows.length > q.limit && last ? encodeCursor(last.seq) : null,
      },
      200,
    );
  });
}
