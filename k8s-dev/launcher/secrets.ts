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
}

export function loadSecrets(file: string): LocalSecrets {
  const secrets: LocalSecrets = existsSync(file)
    ? (JSON.parse(readFileSync(file, 'utf8')) as LocalSecrets)
    : { adminToken: `dev-admin-${randomBytes(12).toString('hex')}`, dbPasswords: {} };
  return secrets;
}

export function passwordFor(secrets: LocalSecrets, service: string): string {
  secrets.dbPasswords[service] ??= randomBytes(18).toString('base64url');
  return secrets.dbPasswords[service];
}

export function saveSecrets(file: string, secrets: LocalSecrets): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
}
