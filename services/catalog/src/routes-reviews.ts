import { Conflict, createRoute, createRouter, NotFound, z } from '@storefront/kit';
import type { CatalogDeps } from './app.ts';
import type { Review } from './domain.ts';
import { reviewAdded } from './events.ts';
import { body, IdOrSlug, json, listOf, ReviewIn, ReviewOut, Uuid } from './schemas.ts';
import * as store from './store.ts';

const toOut = (r: Review) => ({
  id: r.id,
  author: r.author,
  rating: r.rating,
  title: r.title,
  body: r.body,
  createdAt: r.createdAt.toISOString(),
});

/** Ratings and reviews of published products. */
export function reviewRoutes(deps: CatalogDeps) {
  const app = createRouter();
  const { db } = deps;
  const params = z.object({ idOrSlug: IdOrSlug });

  app.openapi(
    createRoute({
      method: 'get',
      path: '/products/{idOrSlug}/reviews',
      summary: "A product's reviews, newest first",
      request: {
        params,
        query: z.object({ cursor: Uuid.optional(), limit: z.coerce.number().int().min(1).max(50).default(10) }),
      },
      responses: { 200: json(listOf(ReviewOut), 'A page of reviews') },
    }),
    async (c) => {
      const { idOrSlug } = c.req.valid('param');
      const { cursor, limit } = c.req.valid('query');
      const product = await store.findPublishedProductId(db, idOrSlug);
      if (!product) throw new NotFound(`no product ${idOrSlug}`);
      const rows = await store.listReviews(db, product.id, { after: cursor ?? null, limit: limit + 1 });
      const page = rows.slice(0, limit);
      const next = rows.length > limit ? (page.at(-1)?.id ?? null) : null;
      return c.json({ items: page.map(toOut), nextCursor: next }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/products/{idOrSlug}/reviews',
      summary: 'Add a rating and review (one per author per product)',
      request: { params, body: body(ReviewIn) },
      responses: { 201: json(ReviewOut, 'The review') },
    }),
    async (c) => {
      const { idOrSlug } = c.req.valid('param');
      const input = c.req.valid('json');
      const review = await db.tx(async (tx) => {
        const product = await store.findPublishedProductId(tx, idOrSlug);
        if (!product) throw new NotFound(`no product ${idOrSlug}`);
        const r: Review = { ...input, id: deps.newId(), productId: product.id, createdAt: deps.clock() };
        if (!(await store.insertReview(tx, r))) {
          throw new Conflict(`${input.author} has already reviewed this product`);
        }
        await store.addRating(tx, product.id, r.rating);
        await store.syncSearchDocRating(tx, product.id);
        await reviewAdded(deps.outbox, tx, product, r);
        return { r, product };
      });
      await deps.cache.invalidateProducts([{ productId: review.product.id, slug: review.product.slug }]);
      await deps.cache.invalidateLists();
      return c.json(toOut(review.r), 201);
    },
  );

  return app;
}
