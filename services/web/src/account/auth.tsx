import { Hono } from 'hono';
import type { WebEnv } from '../env.ts';
import { passwordRoutes } from './auth-password.tsx';
import { signInRoutes } from './auth-signin.tsx';
import { signUpRoutes } from './auth-signup.tsx';

export { PASSWORD_MAX, PASSWORD_MIN } from './auth-shared.tsx';

/** Sign-up, email verification, sign-in with the staff MFA step and enrolment, sign-out, password reset. */
export function authRoutes(): Hono<WebEnv> {
  const app = new Hono<WebEnv>();
  app.route('/', signUpRoutes());
  app.route('/', signInRoutes());
  app.route('/', passwordRoutes());
  return app;
}
