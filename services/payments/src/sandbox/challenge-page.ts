import { formatMinor } from '@storefront/contracts';
import type { Challenge } from './sandbox.ts';

/**
 * The sandbox's 3-D Secure page: what a card issuer shows, reduced to two buttons. No script and
 * no inline style (the gateway's CSP allows neither without a nonce); the form carries a
 * single-use token, which is what makes the POST safe from cross-site forgery.
 */
const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch] ?? ch);

export function challengePage(paymentId: string, c: Challenge): string {
  const amount = `${formatMinor(c.amount)} ${c.amount.currency}`;
  const card = c.card.last4 ? `${c.card.brand ?? 'card'} ending in ${c.card.last4}` : 'your card';
  const action = `./${encodeURIComponent(paymentId)}`;
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer"><title>Confirm your payment (sandbox)</title></head>
<body>
<main>
<h1>Confirm your payment</h1>
<p>Sandbox 3-D Secure: approve or fail the authentication of ${escapeHtml(amount)} on ${escapeHtml(card)}.</p>
<form method="post" action="${escapeHtml(action)}">
<input type="hidden" name="token" value="${escapeHtml(c.token)}">
<button type="submit" name="outcome" value="approve">Approve</button>
<button type="submit" name="outcome" value="fail">Fail</button>
</form>
<p><small>No real bank is involved: this page stands in for the card issuer's check.</small></p>
</main>
</body>
</html>`;
}

/** The page's own CSP, for when it is reached without the gateway in front. */
export function challengeCsp(returnUrl: string): string {
  // Browsers apply form-action to the redirect after the POST too, so the return origin is allowed.
  return `default-src 'none'; form-action 'self' ${new URL(returnUrl).origin}; frame-ancestors 'none'; base-uri 'none'`;
}
