import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT } from 'jose';

/**
 * An ES256 key and a signer for access tokens as identity issues them (typ at+jwt, fixed issuer
 * and audience), so tests go through the kit's real verifier. Test-only.
 */
export async function testKeys() {
  const issuer = 'https://identity.cart-test';
  const audience = 'storefront-cart-test';
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const publicJwk = { ...(await exportJWK(publicKey)), kid: 'cart-test', alg: 'ES256', use: 'sig' };
  return {
    issuer,
    audience,
    jwks: createLocalJWKSet({ keys: [publicJwk] }),
    sign(o: { sub: string; roles: string[]; mfa?: boolean }): Promise<string> {
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({ sid: `sess-${o.sub.slice(0, 8)}`, roles: o.roles, mfa: o.mfa ?? false, amr: ['pwd'] })
        .setProtectedHeader({ alg: 'ES256', kid: 'cart-test', typ: 'at+jwt' })
        .setIssuer(issuer)
        .setAudience(audience)
        .setSubject(o.sub)
        .setIssuedAt(now)
        .setExpirationTime(now + 600)
        .sign(privateKey);
    },
  };
}
