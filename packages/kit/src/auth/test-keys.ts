import { exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';

/** Test helpers: an ES256 key with a kid, and a signer for access tokens with overridable parts. */
type PrivateKey = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];

export interface TestKey {
  readonly kid: string;
  readonly privateKey: PrivateKey;
  readonly publicJwk: JWK;
}

export async function makeKey(kid: string): Promise<TestKey> {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  return { kid, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' } };
}

export interface SignOptions {
  readonly issuer?: string;
  readonly audience?: string;
  readonly typ?: string;
  readonly kid?: string;
  readonly iat?: number;
  readonly exp?: number;
  readonly claims?: Record<string, unknown>;
  readonly subject?: string;
}

export const ISS = 'https://identity.test';
export const AUD = 'storefront-test';

export function sign(key: TestKey, o: SignOptions = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ sid: 'sess-1', roles: ['customer'], mfa: false, amr: ['pwd'], ...o.claims })
    .setProtectedHeader({ alg: 'ES256', kid: o.kid ?? key.kid, typ: o.typ ?? 'at+jwt' })
    .setIssuer(o.issuer ?? ISS)
    .setAudience(o.audience ?? AUD)
    .setSubject(o.subject ?? 'acct-1')
    .setIssuedAt(o.iat ?? now)
    .setExpirationTime(o.exp ?? now + 600)
    .sign(key.privateKey);
}
