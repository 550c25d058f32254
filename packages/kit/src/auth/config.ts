import { z } from 'zod';
import { DEFAULT_AUDIENCE, DEFAULT_ISSUER } from './claims.ts';

/**
 * The variables a service that verifies tokens adds to its config schema
 * (`z.object({ ...baseConfigShape, ...authConfigShape })`). Identity signs with the same issuer
 * and audience, so one pair of values configures the whole installation.
 */
export const authConfigShape = {
  JWT_ISSUER: z.string().min(1).max(200).default(DEFAULT_ISSUER),
  JWT_AUDIENCE: z.string().min(1).max(200).default(DEFAULT_AUDIENCE),
  /** identity's key set, e.g. `http://identity:8080/.well-known/jwks.json`. */
  JWKS_URL: z.url().default('http://127.0.0.1:8082/.well-known/jwks.json'),
};
