import {
  type AuthEnv,
  authenticate,
  createRoute,
  createRouter,
  type Queryable,
  requireMfa,
  requireRole,
  type Verifier,
} from '@storefront/kit';
import { json, LedgerVerification } from './schemas.ts';
import { verifyLedger } from './store-ledger.ts';

/** Staff check of the hash-chained ledger: recomputes every entry's hash from the first. */
export function ledgerRoutes(deps: { db: Queryable; verifier: Verifier }) {
  const app = createRouter<AuthEnv>();
  app.openapi(
    createRoute({
      method: 'get',
      path: '/ledger/verify',
      tags: ['ledger'],
      middleware: [authenticate({ verifier: deps.verifier }), requireRole('support', 'admin'), requireMfa()],
      summary: 'Recompute the payment ledger hash chain',
      description:
        'Answers `ok: true` with the head, or `ok: false` with the sequence of the first entry whose hash, ' +
        'link to the previous entry or position does not verify. Reads the whole ledger.',
      responses: { 200: json(LedgerVerification, 'The result, broken or not') },
    }),
    async (c) => c.json(await verifyLedger(deps.db), 200),
  );
  return app;
}
