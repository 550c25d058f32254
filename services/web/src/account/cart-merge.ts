import type { Context } from 'hono';
import type { WebEnv } from '../env.ts';
import { mergeGuestCart } from '../shop/cart-session.ts';

/**
 * Right after a sign-in, on the first request that carries the new session's cookies (the
 * welcome hop): the guest's cart becomes the account's, through the shop area's merge (which owns
 * the guest cart cookie). A failure never blocks the sign-in; the cart page merges again later.
 */
export async function mergeCartAfterSignIn(c: Context<WebEnv>): Promise<'merged' | 'nothing' | 'failed'> {
  try {
    const outcome = await mergeGuestCart(c);
    return outcome.merged ? 'merged' : 'nothing';
  } catch (err) {
    c.get('log')?.warn({ err }, 'merging the guest cart after sign-in failed');
    return 'failed';
  }
}
