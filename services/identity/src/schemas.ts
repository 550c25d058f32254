import { ROLES, z } from '@storefront/kit';

/** Request and response shapes shared by the routes; bounded sizes everywhere (ASVS 5.1). */
// Trimmed and lower-cased before the format check: `Ada@Shop.test ` is the same person as ada@shop.test.
export const Email = z.string().max(320).trim().toLowerCase().pipe(z.email().max(254));
/** New passwords: long enough to resist guessing, short enough to bound hashing work. */
export const NewPassword = z.string().min(12).max(128);
export const Password = z.string().min(1).max(128);
export const Mode = z.enum(['bearer', 'cookie']).default('bearer');
export const SecretToken = z.string().min(16).max(200);
export const Role = z.enum(ROLES);
export const Roles = z.array(Role).min(1).max(ROLES.length);
export const IdParam = z.object({ id: z.uuid() });
/**
 * A name to greet someone by: trimmed, NFC, at most 80 characters, no control characters and no
 * bidirectional overrides (they would reorder what staff and the shop show around it). Empty → none.
 */
export const DisplayName = z
  .string()
  .max(200)
  .trim()
  .max(80)
  .regex(/^[^\p{Cc}\u202A-\u202E\u2066-\u2069]*$/u, 'no control or bidirectional-override characters')
  .transform((s) => s.normalize('NFC') || null);

export const TokenResponse = z
  .object({
    status: z.literal('ok'),
    sessionId: z.string(),
    expiresIn: z.number().int(),
    tokenType: z.literal('Bearer').optional(),
    accessToken: z.string().optional(),
    refreshToken: z.string().optional(),
    refreshExpiresAt: z.string().optional(),
    csrfToken: z.string().optional(),
  })
  .openapi('TokenResponse');

export const ChallengeResponse = z
  .object({
    status: z.enum(['mfa_required', 'mfa_enrolment_required']),
    challenge: z.string(),
    expiresIn: z.number().int(),
  })
  .openapi('MfaChallenge');

export const SessionView = z
  .object({
    id: z.string(),
    current: z.boolean(),
    createdAt: z.string(),
    lastUsedAt: z.string(),
    expiresAt: z.string(),
    ip: z.string().nullable(),
    userAgent: z.string().nullable(),
    mfa: z.boolean(),
    mode: z.enum(['bearer', 'cookie']),
  })
  .openapi('Session');

export const AccountView = z
  .object({ id: z.string(), email: z.string(), roles: z.array(Role) })
  .openapi('AccountSummary');

export const json = <T extends z.ZodType>(schema: T, description: string) => ({
  content: { 'application/json': { schema } },
  description,
});

export const body = <T extends z.ZodType>(schema: T) => ({
  required: true,
  content: { 'application/json': { schema } },
});
