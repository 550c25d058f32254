import { createRemoteJWKSet, errors, type JWTVerifyGetKey, jwtVerify } from 'jose';
import { ServiceUnavailable, Unauthorized } from '../errors.ts';
import { ACCESS_TOKEN_TYPE, type AccessClaims, accessClaimsSchema, MAX_ACCESS_TOKEN_SECONDS } from './claims.ts';
import { createTokenCache } from './token-cache.ts';

/** Where public keys come from: identity's JWKS URL, or a resolver (identity itself, tests). */
export type JwksSource = string | URL | JWTVerifyGetKey;

export interface RemoteJwksOptions {
  /** Minimum ms between two fetches caused by an unknown `kid` (default 30 s): a flood of forged kids cannot hammer identity. */
  readonly cooldownMs?: number;
  /** Refetch at least this often even when every kid is known (default 10 min). */
  readonly maxAgeMs?: number;
  readonly timeoutMs?: number;
}

/** A cached JWKS fetched from a URL; refreshed on an unknown kid at most once per cooldown. */
export function remoteJwks(url: string | URL, opts: RemoteJwksOptions = {}): JWTVerifyGetKey {
  return createRemoteJWKSet(new URL(url), {
    cooldownDuration: opts.cooldownMs ?? 30_000,
    cacheMaxAge: opts.maxAgeMs ?? 600_000,
    timeoutDuration: opts.timeoutMs ?? 2_000,
  });
}

export interface VerifierOptions {
  readonly jwks: JwksSource;
  readonly issuer: string;
  readonly audience: string;
  /** Seconds of clock skew tolerated on exp/iat (default 30). */
  readonly clockToleranceSec?: number;
  /** Verified tokens kept until expiry (default 10 000; 0 disables). */
  readonly cacheSize?: number;
  readonly clock?: () => Date;
}

export interface Verifier {
  /** The token's claims, or Unauthorized (invalid) / ServiceUnavailable (keys unreachable). */
  verify(token: string): Promise<AccessClaims>;
}

// Errors that mean "the token is bad"; anything else (fetch failed, JWKS timeout, a resolver's
// database error) means we could not tell, and saying 401 would make clients throw good tokens away.
const TOKEN_ERRORS = [
  errors.JWTExpired,
  errors.JWTClaimValidationFailed,
  errors.JWTInvalid,
  errors.JWSInvalid,
  errors.JWSSignatureVerificationFailed,
  errors.JOSEAlgNotAllowed,
  errors.JOSENotSupported,
  errors.JWKSNoMatchingKey,
  errors.JWKSMultipleMatchingKeys,
];

function isTokenError(err: unknown): boolean {
  return TOKEN_ERRORS.some((E) => err instanceof E);
}

export function createVerifier(opts: VerifierOptions): Verifier {
  const keys = typeof opts.jwks === 'function' ? opts.jwks : remoteJwks(opts.jwks);
  const tolerance = opts.clockToleranceSec ?? 30;
  const clock = opts.clock ?? (() => new Date());
  const cache = createTokenCache<AccessClaims>(opts.cacheSize ?? 10_000);

  return {
    async verify(token) {
      const now = clock();
      const cached = cache.get(token, now.getTime() - tolerance * 1000);
      if (cached) return cached;
      let payload: unknown;
      try {
        ({ payload } = await jwtVerify(token, keys, {
          // Fixed: the header's alg is never trusted to choose the algorithm (no `none`, no HS256 with the public key).
          algorithms: ['ES256'],
          issuer: opts.issuer,
          audience: opts.audience,
          typ: ACCESS_TOKEN_TYPE,
          requiredClaims: ['exp', 'iat', 'sub'],
          maxTokenAge: MAX_ACCESS_TOKEN_SECONDS + tolerance,
          clockTolerance: tolerance,
          currentDate: now,
        }));
      } catch (err) {
        if (isTokenError(err)) throw new Unauthorized('the access token is invalid or expired');
        throw new ServiceUnavailable('cannot check the access token right now', { extensions: { retryAfter: 1 } });
      }
      const parsed = accessClaimsSchema.safeParse(payload);
      if (!parsed.success) throw new Unauthorized('the access token is invalid or expired');
      const claims = parsed.data;
      if (claims.exp - claims.iat > MAX_ACCESS_TOKEN_SECONDS) {
        throw new Unauthorized('the access token is invalid or expired');
      }
      cache.set(token, claims, claims.exp * 1000);
      return claims;
    },
  };
}

/** One-shot verification (no cache); services should hold one Verifier or use `authenticate`. */
export function verifyAccessToken(token: string, opts: VerifierOptions): Promise<AccessClaims> {
  return createVerifier({ ...opts, cacheSize: 0 }).verify(token);
}
