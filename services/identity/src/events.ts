import type { Bus, Queryable } from '@storefront/kit';
import type { Identity } from './context.ts';
import { newSecret, secretHash } from './secrets.ts';
import { appendAudit, insertOneTimeToken, type OneTimePurpose } from './store.ts';

/**
 * What identity publishes (through the outbox, in the transaction of the change) and consumes.
 *
 * Publishes: identity.email-verification-requested.v1, identity.password-reset-requested.v1
 * (the notifications service emails the link). Consumes: audit.recorded.v1 from every service.
 */
const LINKS = {
  'verify-email': { subject: 'identity.email-verification-requested.v1', page: '/account/verify-email' },
  'reset-password': { subject: 'identity.password-reset-requested.v1', page: '/account/reset-password' },
} as const;

export interface LinkRequest {
  readonly accountId: string;
  readonly email: string;
  readonly purpose: OneTimePurpose;
  readonly ttlMinutes: number;
  /** Sign-up only: the password to set when the link is followed. */
  readonly passwordHash?: string;
  /** Sign-up only: the display name to set when the link is followed. */
  readonly displayName?: string | null;
}

/** A single-use link: its hash stored, the link itself handed to notifications through the outbox. */
export async function requestLink(idn: Identity, tx: Queryable, r: LinkRequest): Promise<{ link: string }> {
  const now = idn.clock();
  const token = newSecret();
  const expiresAt = new Date(now.getTime() + r.ttlMinutes * 60_000);
  await insertOneTimeToken(tx, {
    hash: secretHash(token),
    accountId: r.accountId,
    purpose: r.purpose,
    now,
    expiresAt,
    ...(r.passwordHash ? { passwordHash: r.passwordHash } : {}),
    ...(r.displayName ? { displayName: r.displayName } : {}),
  });
  const { subject, page } = LINKS[r.purpose];
  const link = new URL(page, idn.config.PUBLIC_BASE_URL);
  link.searchParams.set('token', token);
  await idn.outbox.add(tx, subject, {
    accountId: r.accountId,
    email: r.email,
    token,
    link: link.toString(),
    expiresAt: expiresAt.toISOString(),
  });
  return { link: link.toString() };
}

/**
 * Local development: show the link in the `npm start` output, since no mail server runs there. At
 * warn, so it shows at any log level a developer picks (the browser tests run the platform at warn
 * and read the link from this line).
 */
export function logLinkForDev(idn: Identity, purpose: OneTimePurpose, email: string, link: string): void {
  if (!idn.config.LOG_TOKENS_FOR_DEV) return;
  idn.log.warn({ email, devLink: link, purpose }, `dev only: ${purpose} link for ${email}`);
}

/** Other services' staff actions land in the same append-only log (inbox-deduplicated by the bus). */
export function subscribeAuditEvents(bus: Bus): void {
  bus.subscribe('audit-log', ['audit.recorded.v1'], async (event, ctx) => {
    const p = event.payload;
    await appendAudit(ctx.tx, {
      id: event.id,
      at: new Date(p.occurredAt),
      service: p.service,
      action: p.action,
      outcome: p.outcome,
      actor: p.actor,
      target: p.target,
      requestId: p.requestId,
      ip: p.ip,
      details: p.details,
    });
  });
}
