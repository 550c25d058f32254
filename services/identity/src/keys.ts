import type { Db, Queryable } from '@storefront/kit';
import {
  calculateJwkThumbprint,
  errors,
  exportJWK,
  generateKeyPair,
  importJWK,
  type JWK,
  type JWTVerifyGetKey,
  SignJWT,
} from 'jose';
import { keyNeedsRotation, publishedKeys, signingKey } from './domain.ts';
import type { Sealer } from './secrets.ts';
import { insertKey, listKeys, type StoredKey } from './store.ts';

export interface KeyRingOptions {
  readonly db: Db;
  readonly sealer: Sealer;
  readonly clock: () => Date;
  readonly issuer: string;
  readonly audience: string;
  readonly accessTtlSeconds: number;
  readonly prepublishSeconds: number;
  readonly maxAgeDays: number;
}

export interface AccessTokenInput {
  readonly sub: string;
  readonly sid: string;
  readonly roles: readonly string[];
  readonly mfa: boolean;
  readonly amr: readonly string[];
  readonly csrf?: string | null;
  readonly jti: string;
}

export interface KeyRing {
  /** First start: makes a key. Later starts: rotates a key older than the maximum age. */
  ensure(): Promise<void>;
  /** A new key, published now, signing after the pre-publish delay (or at once). */
  rotate(opts: { immediate: boolean }): Promise<{ kid: string; activatesAt: Date }>;
  sign(input: AccessTokenInput): Promise<{ token: string; expiresIn: number }>;
  jwks(): Promise<{ keys: JWK[] }>;
  /** For identity's own verifier: resolves a kid among the published keys. */
  readonly resolver: JWTVerifyGetKey;
}

type PrivateKey = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];
const CACHE_MS = 5_000;
const SKEW_MS = 60_000;

/**
 * ES256 signing keys kept in Postgres (private half sealed). Every replica reads the same table,
 * caching it a few seconds; a rotation is visible everywhere within that and the pre-publish delay
 * covers verifiers that cached the previous key set.
 */
export function createKeyRing(o: KeyRingOptions): KeyRing {
  let cached: { at: number; keys: StoredKey[] } | undefined;
  let lastForced = 0;
  const imported = new Map<string, PrivateKey>();
  const retentionMs = o.accessTtlSeconds * 1000 + SKEW_MS;

  const load = async (force = false) => {
    const now = Date.now();
    if (!cached || force || now - cached.at > CACHE_MS) cached = { at: now, keys: await listKeys(o.db) };
    return cached.keys;
  };

  const create = async (activatesAt: Date) => {
    const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
    const publicJwk = await exportJWK(publicKey);
    const kid = await calculateJwkThumbprint(publicJwk);
    const key: StoredKey = {
      kid,
      publicJwk: { ...publicJwk, kid, alg: 'ES256', use: 'sig' },
      privateJwk: o.sealer.seal(JSON.stringify(await exportJWK(privateKey))),
      createdAt: o.clock(),
      activatesAt,
    };
    return key;
  };

  // One replica at a time decides whether to make a key, so two starting together make one.
  const locked = <T>(fn: (tx: Queryable, keys: StoredKey[]) => Promise<T>) =>
    o.db.tx(async (tx) => {
      await tx.query(`SELECT pg_advisory_xact_lock(hashtext('identity:signing-keys'))`);
      return fn(tx, await listKeys(tx));
    });

  const signer = async () => {
    const now = o.clock();
    let current = signingKey(await load(), now);
    if (!current) current = signingKey(await load(true), now);
    if (!current) throw new Error('no signing key: KeyRing.ensure() was not called');
    let key = imported.get(current.kid);
    if (!key) {
      key = (await importJWK(JSON.parse(o.sealer.open(current.privateJwk)) as JWK, 'ES256')) as PrivateKey;
      imported.set(current.kid, key);
    }
    return { kid: current.kid, key };
  };

  const ring: KeyRing = {
    async ensure() {
      await locked(async (tx, keys) => {
        const now = o.clock();
        const current = signingKey(keys, now);
        const pending = keys.some((k) => k.activatesAt > now);
        if (!keyNeedsRotation(current, pending, now, o.maxAgeDays * 86_400_000)) return;
        // No key at all: sign at once. An old key: pre-publish its successor like any rotation.
        const at = current ? new Date(now.getTime() + o.prepublishSeconds * 1000) : now;
        await insertKey(tx, await create(at));
      });
      await load(true);
    },
    async rotate({ immediate }) {
      const now = o.clock();
      const key = await create(new Date(now.getTime() + (immediate ? 0 : o.prepublishSeconds * 1000)));
      await insertKey(o.db, key);
      await load(true);
      return { kid: key.kid, activatesAt: key.activatesAt };
    },
    async sign(input) {
      const { kid, key } = await signer();
      const iat = Math.floor(o.clock().getTime() / 1000);
      const token = await new SignJWT({
        sid: input.sid,
        roles: [...input.roles],
        mfa: input.mfa,
        amr: [...input.amr],
        ...(input.csrf ? { csrf: input.csrf } : {}),
      })
        .setProtectedHeader({ alg: 'ES256', kid, typ: 'at+jwt' })
        .setIssuer(o.issuer)
        .setAudience(o.audience)
        .setSubject(input.sub)
        .setIssuedAt(iat)
        .setExpirationTime(iat + o.accessTtlSeconds)
        .setJti(input.jti)
        .sign(key);
      return { token, expiresIn: o.accessTtlSeconds };
    },
    async jwks() {
      const keys = publishedKeys(await load(), o.clock(), retentionMs);
      return { keys: keys.map((k) => k.publicJwk) };
    },
    resolver: async (header) => {
      const find = async (force: boolean) =>
        publishedKeys(await load(force), o.clock(), retentionMs).find((k) => k.kid === header.kid);
      let found = await find(false);
      // An unknown kid may be a rotation another replica just made; look again at most once a second.
      if (!found && Date.now() - lastForced > 1_000) {
        lastForced = Date.now();
        found = await find(true);
      }
      if (!found || header.alg !== 'ES256') throw new errors.JWKSNoMatchingKey();
      return importJWK(found.publicJwk, 'ES256');
    },
  };
  return ring;
}
