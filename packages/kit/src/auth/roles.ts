/**
 * The platform's roles (ARCHITECTURE.md §8). Identity assigns them; every service checks them with
 * `requireRole`. Staff are every role but `customer`, and staff must have signed in with TOTP.
 */
export const ROLES = ['customer', 'support', 'merchandiser', 'fulfillment', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const STAFF_ROLES: readonly Role[] = ['support', 'merchandiser', 'fulfillment', 'admin'];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

export function isStaff(roles: readonly string[]): boolean {
  return roles.some((r) => (STAFF_ROLES as readonly string[]).includes(r));
}
