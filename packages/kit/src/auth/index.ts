export {
  ACCESS_TOKEN_TYPE,
  type AccessClaims,
  accessClaimsSchema,
  type Caller,
  callerFromClaims,
  csrfClaim,
  DEFAULT_AUDIENCE,
  DEFAULT_ISSUER,
  MAX_ACCESS_TOKEN_SECONDS,
} from './claims.ts';
export { authConfigShape } from './config.ts';
export { CLIENT_IP_HEADER, EDGE_TOKEN_HEADER, edgeToken } from './edge-relay.ts';
export {
  ACCESS_COOKIE,
  type AuthEnv,
  type AuthenticateOptions,
  type AuthVariables,
  authenticate,
  CSRF_HEADER,
  callerOf,
  requireCaller,
  requireMfa,
  requireRole,
} from './middleware.ts';
export { isRole, isStaff, ROLES, type Role, STAFF_ROLES } from './roles.ts';
export { requireServiceToken, SERVICE_TOKEN_HEADER, type ServiceTokenOptions } from './service-token.ts';
export { createTokenCache, type TokenCache } from './token-cache.ts';
export {
  createVerifier,
  type JwksSource,
  type RemoteJwksOptions,
  remoteJwks,
  type Verifier,
  type VerifierOptions,
  verifyAccessToken,
} from './verify.ts';
