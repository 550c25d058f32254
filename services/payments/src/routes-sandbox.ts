import { type AuthEnv, createRoute, createRouter, z } from '@storefront/kit';
import { challengeCsp, challengePage } from './sandbox/challenge-page.ts';
import type { Sandbox } from './sandbox/sandbox.ts';
import { CardIn, ChallengeForm, json, PaymentId, PaymentMethodOut } from './schemas.ts';

const tags = ['sandbox'];
const params = z.object({ paymentId: PaymentId });

/**
 * What the sandbox provider does in the browser, public like a provider's own endpoints: turn a
 * test card into an opaque token (the number is checked, then forgotten), and the 3-D Secure page.
 */
export function sandboxRoutes(sandbox: Sandbox) {
  const app = createRouter<AuthEnv>();

  app.openapi(
    createRoute({
      method: 'post',
      path: '/sandbox/payment-methods',
      tags,
      summary: 'Tokenize a sandbox test card',
      description:
        'Checks the number (Luhn), expiry and security code, and answers a `pm_sandbox_…` token that remembers ' +
        'only the brand, the last four digits and the test behaviour the number selects ' +
        '(4242… success, …0002 declined, …9995 insufficient funds, …3155/…3220 3-D Secure, …0069 expired, ' +
        '…0119 a transient processing error, …5126 refunds fail).',
      request: { body: { required: true, content: { 'application/json': { schema: CardIn } } } },
      responses: { 201: json(PaymentMethodOut, 'The token to pass as paymentMethod') },
    }),
    async (c) => {
      c.header('cache-control', 'no-store');
      return c.json(await sandbox.createPaymentMethod(c.req.valid('json')), 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/sandbox/3ds/{paymentId}',
      tags,
      summary: 'The 3-D Secure challenge page (HTML)',
      request: { params },
      responses: {
        200: { description: 'A page with Approve and Fail', content: { 'text/html': { schema: z.string() } } },
      },
    }),
    async (c) => {
      const { paymentId } = c.req.valid('param');
      const challenge = await sandbox.openChallenge(paymentId);
      return c.html(challengePage(paymentId, challenge), 200, {
        'content-security-policy': challengeCsp(challenge.returnUrl),
        'cache-control': 'no-store',
        'x-frame-options': 'DENY',
      });
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/sandbox/3ds/{paymentId}',
      tags,
      summary: 'Answer the challenge; redirects to the order',
      description: 'The form token is single-use (403 `csrf_failed` otherwise). Redirects (303) to the returnUrl.',
      request: {
        params,
        body: { required: true, content: { 'application/x-www-form-urlencoded': { schema: ChallengeForm } } },
      },
      responses: { 303: { description: 'Back to the shop, with paymentId and redirect_status' } },
    }),
    async (c) => {
      const { paymentId } = c.req.valid('param');
      const form = c.req.valid('form');
      const { redirectTo } = await sandbox.completeChallenge(paymentId, form.token, form.outcome === 'approve');
      return c.redirect(redirectTo, 303);
    },
  );
  return app;
}
