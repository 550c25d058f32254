import { createHash, generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { startUpstream } from './test-helpers.ts';

/**
 * A stand-in for identity's signing side: an ES256 key served as a JWKS over HTTP, and access
 * tokens shaped as identity issues them (typ at+jwt, sub, sid, roles, mfa, amr). Signed with
 * node:crypto rather than the kit's jose, so the gateway's verifier is checked against an
 * independent signer.
 */
export const TEST_ISSUER = 'https://identity.gateway-test';
export const TEST_AUDIENCE = 'storefront-gateway-test';
const KID = 'gw-test-1';

export interface TokenOptions {
  readonly sub?: string;
  readonly roles?: readonly string[];
  readonly mfa?: boolean;
  /** Seconds from now; negative for an expired token. */
  readonly expiresIn?: number;
  readonly audience?: string;
  readonly issuer?: string;
  /** The raw CSRF token whose hash goes in the `csrf` claim (cookie mode). */
  readonly csrf?: string;
  /** Sign with a key the JWKS does not hold, under the published kid: a forgery. */
  readonly forged?: boolean;
}

const b64url = (v: string | Buffer) => Buffer.from(v).toString('base64url');

function es256(header: object, payload: object, key: KeyObject): string {
  const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(payload))}`;
  const signature = sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' });
  return `${input}.${b64url(signature)}`;
}

export async function startTestIdentity() {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const other = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
  const jwk = { ...publicKey.export({ format: 'jwk' }), kid: KID, alg: 'ES256', use: 'sig' };
  let fetches = 0;
  let available = true;
  const server = await startUpstream((app) => {
    app.get('/.well-known/jwks.json', (c) => {
      fetches++;
      return available ? c.json({ keys: [jwk] }) : c.json({ error: 'down' }, 503);
    });
  });
  return {
    jwksUrl: `${server.url}/.well-known/jwks.json`,
    /** The env a gateway needs to trust this identity. */
    env: { JWKS_URL: `${server.url}/.well-known/jwks.json`, JWT_ISSUER: TEST_ISSUER, JWT_AUDIENCE: TEST_AUDIENCE },
    /** How often the JWKS was fetched: verified tokens are cached, so this stays small. */
    fetches: () => fetches,
    setAvailable(up: boolean) {
      available = up;
    },
    token(o: TokenOptions = {}): string {
      const now = Math.floor(Date.now() / 1000);
      const exp = now + (o.expiresIn ?? 600);
      const sub = o.sub ?? 'acct-customer-1';
      const payload = {
        iss: o.issuer ?? TEST_ISSUER,
        aud: o.audience ?? TEST_AUDIENCE,
        sub,
        sid: `sess-${sub}`.slice(0, 64),
        roles: o.roles ?? ['customer'],
        mfa: o.mfa ?? false,
        amr: o.mfa ? ['pwd', 'otp'] : ['pwd'],
        iat: Math.min(now, exp - 300),
        exp,
        ...(o.csrf ? { csrf: createHash('sha256').update(o.csrf).digest('base64url') } : {}),
      };
      return es256({ alg: 'ES256', typ: 'at+jwt', kid: KID }, payload, o.forged ? other : privateKey);
    },
    close: () => server.close(),
  };
}
