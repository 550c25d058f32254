import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';

/**
 * Encryption at rest for what identity must be able to read back (signing keys, TOTP secrets):
 * AES-256-GCM under a key derived from DATA_ENCRYPTION_KEY. Without that variable values are kept
 * in clear (local development), marked so that turning encryption on later still reads them.
 */
export interface Sealer {
  seal(plain: string): string;
  open(sealed: string): string;
  readonly encrypting: boolean;
}

export function createSealer(secret: string | undefined): Sealer {
  const key = secret
    ? Buffer.from(hkdfSync('sha256', secret, 'storefront-identity', 'data-encryption-v1', 32))
    : undefined;
  return {
    encrypting: key !== undefined,
    seal(plain) {
      if (!key) return `plain:${plain}`;
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return `v1:${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url')}`;
    },
    open(sealed) {
      if (sealed.startsWith('plain:')) return sealed.slice(6);
      if (!sealed.startsWith('v1:')) throw new Error('unknown sealed format');
      if (!key) throw new Error('DATA_ENCRYPTION_KEY is needed to read encrypted identity secrets');
      const raw = Buffer.from(sealed.slice(3), 'base64url');
      const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
      decipher.setAuthTag(raw.subarray(12, 28));
      return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
    },
  };
}

/** A random bearer secret (refresh token, one-time link token, challenge): 256 bits, URL-safe. */
export function newSecret(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/** How bearer secrets are stored: they are high-entropy, so a fast hash is enough (no salt, indexable). */
export function secretHash(secret: string): Buffer {
  return createHash('sha256').update(secret).digest();
}

/** A short stable key for an email in Redis, so lockout counters do not store addresses. */
export function emailKey(normalizedEmail: string): string {
  return createHash('sha256').update(normalizedEmail).digest('base64url').slice(0, 27);
}
