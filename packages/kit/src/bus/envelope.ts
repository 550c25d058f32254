import { type EventEnvelope, eventCatalog, isSubject, type Subject } from '@storefront/contracts';
import { z } from 'zod';

const Envelope = z.object({
  id: z.uuid(),
  subject: z.string().max(200),
  occurredAt: z.iso.datetime({ offset: true }),
  payload: z.unknown(),
});

export function encodeEnvelope(e: EventEnvelope): string {
  return JSON.stringify({ id: e.id, subject: e.subject, occurredAt: e.occurredAt, payload: e.payload });
}

export type Parsed = { ok: true; event: EventEnvelope } | { ok: false; error: string; eventId: string | undefined };

/**
 * Parses a message body against the envelope and the catalog schema of its subject. Anything that
 * fails here can never succeed on retry, so the caller treats it as poison.
 */
export function parseEnvelope(body: string, expectedSubject: string): Parsed {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (err) {
    return { ok: false, error: `poison: body is not JSON: ${(err as Error).message}`, eventId: undefined };
  }
  const env = Envelope.safeParse(json);
  const eventId = idOf(json);
  if (!env.success) return { ok: false, error: `poison: bad envelope: ${z.prettifyError(env.error)}`, eventId };
  const { subject } = env.data;
  if (subject !== expectedSubject) {
    return { ok: false, error: `poison: envelope subject ${subject} arrived on ${expectedSubject}`, eventId };
  }
  if (!isSubject(subject)) return { ok: false, error: `poison: ${subject} is not in the event catalog`, eventId };
  const payload = (eventCatalog[subject] as z.ZodType).safeParse(env.data.payload);
  if (!payload.success) {
    return { ok: false, error: `poison: payload of ${subject}: ${z.prettifyError(payload.error)}`, eventId };
  }
  return {
    ok: true,
    event: { ...env.data, subject: subject as Subject, payload: payload.data } as EventEnvelope,
  };
}

/** The event id of a body, if it has one, so even poison can be traced back to its outbox row. */
export function idOf(json: unknown): string | undefined {
  if (json && typeof json === 'object' && 'id' in json && typeof json.id === 'string') return json.id.slice(0, 100);
  return undefined;
}
