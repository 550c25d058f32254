/**
 * Credentials are created once and then read back from the credentials Secret on every reconcile.
 * Randomness is injected so `buildStorefront` stays pure and tests stay deterministic.
 */
import { randomBytes } from 'node:crypto';
import { databaseServices } from './constructs/config.ts';
import { CREDENTIAL_KEYS } from './data-endpoints.ts';
import type { Credentials } from './input.ts';

/** Hex: safe inside URLs, shell-free args and NATS config without escaping. */
export const randomToken = (): string => randomBytes(24).toString('hex');

/** Keeps every value already stored; generates only the missing ones. */
export function ensureCredentials(
  stored: Readonly<Record<string, string>>,
  random: () => string = randomToken,
): Credentials {
  const keep = (key: string) => stored[key] || random();
  const databasePasswords: Record<string, string> = {};
  for (const service of databaseServices()) databasePasswords[service] = keep(CREDENTIAL_KEYS.database(service));
  return {
    postgresPassword: keep(CREDENTIAL_KEYS.postgres),
    redisPassword: keep(CREDENTIAL_KEYS.redis),
    natsToken: keep(CREDENTIAL_KEYS.nats),
    adminToken: keep(CREDENTIAL_KEYS.adminToken),
    adminPassword: keep(CREDENTIAL_KEYS.adminPassword),
    dataEncryptionKey: keep(CREDENTIAL_KEYS.dataEncryptionKey),
    databasePasswords,
  };
}

/** Secret `data` (base64) → plain strings. */
export function decodeSecretData(data: Readonly<Record<string, string>> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(data ?? {})) out[key] = Buffer.from(value, 'base64').toString('utf8');
  return out;
}
