import { type AuthEnv, createRouter } from '@storefront/kit';
import type { OrdersDeps } from './app.ts';

/** Returns (RMA): filled in by the returns change. */
export function returnRoutes(_deps: OrdersDeps) {
  return createRouter<AuthEnv>();
}
