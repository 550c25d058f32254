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
import type { CartDeps } from './app.ts';
import { type Promotion, promotionProblems } from './domain-promotions.ts';
import { audited } from './events.ts';
import { body, json } from './schemas.ts';
import { ListQuery, PromotionIn, type PromotionInput, PromotionOut, PromotionPatch } from './schemas-promotions.ts';
import * as store from './store.ts';

/** Staff manage promotions (merchandiser or admin, signed in with MFA); every change is audited. */
export function promotionAdminRoutes(deps: CartDeps) {
  const app = createRouter<AuthEnv>();
  app.use('/promotions', authenticate({ verifier: deps.verifier }), requireRole('merchandiser', 'admin'), requireMfa());
  app.use(
    '/promotions/*',
    authenticate({ verifier: deps.verifier }),
    requireRole('merchandiser', 'admin'),
    requireMfa(),
  );
  const Params = z.object({ id: z.uuid() });

  const build = (base: Promotion, input: PromotionInput, now: Date): Promotion => {
    const p: Promotion = {
      ...base,
      ...(input.code !== undefined ? { code: input.code } : {}),
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.effect !== undefined ? { effect: input.effect } : {}),
      ...(input.currency !== undefined ? { currency: input.currency } : {}),
      ...(input.minSubtotal !== undefined ? { minSubtotal: input.minSubtotal } : {}),
      ...(input.productIds !== undefined ? { productIds: [...new Set(input.productIds)] } : {}),
      ...(input.categoryIds !== undefined ? { categoryIds: [...new Set(input.categoryIds)] } : {}),
      ...(input.customerOnly !== undefined ? { customerOnly: input.customerOnly } : {}),
      ...(input.startsAt !== undefined ? { startsAt: input.startsAt && new Date(input.startsAt).toISOString() } : {}),
      ...(input.endsAt !== undefined ? { endsAt: input.endsAt && new Date(input.endsAt).toISOString() } : {}),
      ...(input.usageLimit !== undefined ? { usageLimit: input.usageLimit } : {}),
      ...(input.perCustomerLimit !== undefined ? { perCustomerLimit: input.perCustomerLimit } : {}),
      ...(input.active !== undefined ? { active: input.active } : {}),
      updatedAt: now.toISOString(),
    };
    const problems = promotionProblems(p);
    if (problems.length) {
      throw new ValidationFailed(
        problems.join('; '),
        problems.map((message) => ({ path: 'body', message })),
      );
    }
    return p;
  };

  app.openapi(
    createRoute({
      method: 'post',
      path: '/promotions',
      summary: 'Create a promotion (with a code, or automatic without one)',
      request: { body: body(PromotionIn) },
      responses: { 201: json(PromotionOut, 'The promotion') },
    }),
    async (c) => {
      const caller = callerOf(c);
      const now = deps.clock();
      const blank: Promotion = {
        id: deps.newId(),
        code: null,
        name: '',
        effect: { kind: 'free_shipping' },
        currency: null,
        minSubtotal: null,
        productIds: [],
        categoryIds: [],
        customerOnly: false,
        startsAt: null,
        endsAt: null,
        usageLimit: null,
        perCustomerLimit: null,
        usedCount: 0,
        active: true,
        createdAt: now.toISOString(),
        updatedAt: now.toISOString(),
      };
      const p = build(blank, c.req.valid('json'), now);
      await deps.db.tx(async (tx) => {
        await store.insertPromotion(tx, p, caller.id);
        await audited(deps.outbox, tx, {
          action: 'promotion.created',
          actorId: caller.id,
          promotionId: p.id,
          at: now,
          requestId: c.get('requestId'),
          details: { code: p.code, kind: p.effect.kind },
        });
      });
      deps.promotions.forget();
      return c.json(p, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/promotions',
      summary: 'Promotions, newest first',
      request: { query: ListQuery },
      responses: {
        200: json(z.object({ items: z.array(PromotionOut), nextCursor: z.string().nullable() }), 'A page'),
      },
    }),
    async (c) => {
      const { cursor, limit } = c.req.valid('query');
      const items = await store.listPromotions(deps.db, { after: decodeCursor(cursor), limit });
      const last = items.length === limit ? items[items.length - 1] : undefined;
      return c.json({ items, nextCursor: last ? encodeCursor(last) : null }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/promotions/{id}',
      summary: 'A promotion with its usage count',
      request: { params: Params },
      responses: { 200: json(PromotionOut, 'The promotion') },
    }),
    async (c) => {
      const p = await store.getPromotion(deps.db, c.req.valid('param').id);
      if (!p) throw new NotFound('no such promotion');
      return c.json(p, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'patch',
      path: '/promotions/{id}',
      summary: 'Change a promotion (deactivate with `active: false`; promotions are never deleted)',
      request: { params: Params, body: body(PromotionPatch) },
      responses: { 200: json(PromotionOut, 'The promotion') },
    }),
    async (c) => {
      const caller = callerOf(c);
      const input = c.req.valid('json');
      const now = deps.clock();
      const p = await deps.db.tx(async (tx) => {
        const current = await store.getPromotion(tx, c.req.valid('param').id, { lock: true });
        if (!current) throw new NotFound('no such promotion');
        const next = build(current, input, now);
        await store.updatePromotion(tx, next);
        await audited(deps.outbox, tx, {
          action: 'promotion.updated',
          actorId: caller.id,
          promotionId: next.id,
          at: now,
          requestId: c.get('requestId'),
          details: { changed: Object.keys(input) },
        });
        return next;
      });
      deps.promotions.forget();
      return c.json(p, 200);
    },
  );

  return app;
}

function encodeCursor(p: Promotion): string {
  return Buffer.from(JSON.stringify([p.createdAt, p.id])).toString('base64url');
}

function decodeCursor(cursor: string | undefined): { createdAt: string; id: string } | null {
  if (!cursor) return null;
  const bad = () =>
    new ValidationFailed('query.cursor: not a cursor from this list', [
      { path: 'query.cursor', message: 'invalid cursor' },
    ]);
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString());
  } catch {
    throw bad();
  }
  const ok = z.tuple([z.iso.datetime(), z.uuid()]).safeParse(parsed);
  if (!ok.success) throw bad();
  return { createdAt: ok.data[0], id: ok.data[1] };
}
