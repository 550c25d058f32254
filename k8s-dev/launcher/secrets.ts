import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Local credentials, made once and kept in the data folder (gitignored), so restarts reuse the
 * same database role passwords and the admin token the developer already copied.
 */
export interface LocalSecrets {
  adminToken: string;
  dbPasswords: Record<string, string>;
  /** The first staff admin, bootstrapped by identity on its first start. */
  adminEmail: string;
  adminPassword: string;
  /** Encrypts identity's signing keys and TOTP secrets at rest. */
  dataEncryptionKey: string;
  /** Signs the sandbox payment provider's and the dev carrier's callbacks. */
  webhookSecret: string;
}

export function loadSecrets(file: string): LocalSecrets {
  const stored: Partial<LocalSecrets> = existsSync(file)
    ? (JSON.parse(readFileSync(file, 'utf8')) as LocalSecrets)
    : {};
  // Fields added by later versions are filled in for an older file, never regenerated once set.
  return {
    adminToken: stored.adminToken ?? `dev-admin-${randomBytes(12).toString('hex')}`,
    dbPasswords: stored.dbPasswords ?? {},
    adminEmail: stored.adminEmail ?? 'admin@storefront.local',
    adminPassword: stored.adminPassword ?? `Adm-${randomBytes(12).toString('base64url')}`,
    dataEncryptionKey: stored.dataEncryptionKey ?? randomBytes(32).toString('base64'),
    webhookSecret: stored.webhookSecret ?? randomBytes(24).toString('base64url'),
  };
}

export function passwordFor(secrets: LocalSecrets, service: string): string {
  secrets.dbPasswords[service] ??= randomBytes(18).toString('base64url');
  return secrets.dbPasswords[service];
}

export function saveSecrets(file: string, secrets: LocalSecrets): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
}
