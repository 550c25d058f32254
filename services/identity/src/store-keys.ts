import type { Queryable } from '@storefront/kit';
import type { JWK } from 'jose';

export interface StoredKey {
  readonly kid: string;
  readonly publicJwk: JWK;
  /** Sealed private JWK (see secrets.ts). */
  readonly privateJwk: string;
  readonly createdAt: Date;
  readonly activatesAt: Date;
}

export async function listKeys(q: Queryable): Promise<StoredKey[]> {
  const r = await q.query<{ kid: string; public_jwk: JWK; private_jwk: string; created_at: Date; activates_at: Date }>(
    'SELECT kid, public_jwk, private_jwk, created_at, activates_at FROM signing_keys ORDER BY activates_at',
  );
  return r.rows.map((k) => ({
    kid: k.kid,
    publicJwk: k.public_jwk,
    privateJwk: k.private_jwk,
    createdAt: k.created_at,
    activatesAt: k.activates_at,
  }));
}

export async function insertKey(q: Queryable, k: StoredKey): Promise<void> {
  await q.query(
    'INSERT INTO signing_keys (kid, public_jwk, private_jwk, created_at, activates_at) VALUES ($1, $2, $3, $4, $5)',
    [k.kid, JSON.stringify(k.publicJwk), k.privateJwk, k.createdAt, k.activatesAt],
  );
}
