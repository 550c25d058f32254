import { createHash } from 'node:crypto';
import { z } from 'zod';
import { isRole, type Role } from './roles.ts';

/** Access tokens never live longer than this, whatever a (mis)configured issuer signed. */
export const MAX_ACCESS_TOKEN_SECONDS = 15 * 60;

/** The JOSE `typ` of an access token (RFC 9068), so an ID token or another JWT is never taken for one. */
export const ACCESS_TOKEN_TYPE = 'at+jwt';

/** Defaults shared by identity (which signs) and every verifier; override both through config. */
export const DEFAULT_ISSUER = 'https://identity.storefront.local';
export const DEFAULT_AUDIENCE = 'storefront';

/** The claims identity puts in an access token; verifiers parse them with this schema. */
export const accessClaimsSchema = z.object({
  sub: z.string().min(1).max(64),
  sid: z.string().min(1).max(64),
  // Unknown roles (from a newer identity) are dropped rather than refusing the token.
  roles: z
    .array(z.string().max(32))
    .max(16)
    .transform((r) => r.filter(isRole)),
  mfa: z.boolean(),
  amr: z.array(z.string().max(16)).max(8).default([]),
  /** Only in cookie mode: base64url(sha256(csrf token)); see csrfClaim. */
  csrf: z.string().max(64).optional(),
  exp: z.number().int(),
  iat: z.number().int(),
});
export type AccessClaims = z.infer<typeof accessClaimsSchema>;

/** Who is calling, as handlers see it (`c.get('caller')`). */
export interface Caller {
  readonly id: string;
  readonly roles: readonly Role[];
  /** Signed in with a second factor in this session. */
  readonly mfa: boolean;
  readonly sessionId: string;
  readonly amr: readonly string[];
}

export function callerFromClaims(claims: AccessClaims): Caller {
  return { id: claims.sub, roles: claims.roles, mfa: claims.mfa, sessionId: claims.sid, amr: claims.amr };
}

/**
 * Binds a CSRF token to an access token without a shared secret: the signed token carries the
 * hash, the client sends the token in a header, any service can compare. A cookie planted by a
 * sibling subdomain cannot match a hash inside a token it could not sign.
 */
export function csrfClaim(csrfToken: string): string {
  return createHash('sha256').update(csrfToken).digest('base64url');
}
