/**
 * How catalog subjects, services and consumers map onto NATS names. Kept in one place so the
 * relay, the consumers, the dead-letter listener and redrive can never disagree.
 */
const PREFIX = /^[A-Za-z0-9_-]{1,32}$/;
const NAME = /^[a-z0-9_-]{1,64}$/;

export function checkPrefix(prefix: string): string {
  if (!PREFIX.test(prefix)) throw new Error(`invalid EVENT_PREFIX "${prefix}": letters, digits, _ and - only`);
  return prefix;
}

export function checkName(kind: string, name: string): string {
  if (!NAME.test(name)) throw new Error(`invalid ${kind} name "${name}": lower-case letters, digits, _ and - only`);
  return name;
}

/** `sf` → `SF_EVENTS`: one stream per installation holds every domain's events. */
export function streamName(prefix: string): string {
  return `${checkPrefix(prefix).toUpperCase()}_EVENTS`;
}

export function wireSubject(prefix: string, subject: string): string {
  return `${prefix}.${subject}`;
}

/** `sf.product.created.v1` → `product.created.v1`; anything outside the prefix is returned as is. */
export function catalogSubject(prefix: string, wire: string): string {
  return wire.startsWith(`${prefix}.`) ? wire.slice(prefix.length + 1) : wire;
}

export function durableName(service: string, name: string): string {
  return `${checkName('service', service)}-${checkName('consumer', name)}`;
}

/**
 * NOTIFY channel of a schema's outbox. Postgres identifiers stop at 63 bytes, and pg_notify
 * rejects longer names, so cut it here once for both LISTEN and NOTIFY.
 */
export function outboxChannel(schema: string): string {
  return `${schema}_outbox`.slice(0, 63);
}

/**
 * The one filter subject of a consumer. nats-server 2.9 allows a single `filter_subject` per
 * consumer, so several subjects share their longest common token prefix (`product.created.v1` +
 * `product.updated.v1` → `<prefix>.product.>`) and the handler acks the rest unprocessed. One
 * consumer per subject would lose the relative order of a domain's events (created before
 * updated) and multiply consumers, advisories and dead-letter names.
 */
export function filterSubject(prefix: string, subjects: readonly string[]): string {
  const first = subjects[0];
  if (first === undefined) throw new Error('a subscription needs at least one subject');
  if (subjects.every((s) => s === first)) return wireSubject(prefix, first);
  const split = subjects.map((s) => s.split('.'));
  const common: string[] = [];
  for (let i = 0; ; i++) {
    const token = split[0]?.[i];
    if (token === undefined || !split.every((t) => t[i] === token && t.length > i + 1)) break;
    common.push(token);
  }
  return common.length ? `${prefix}.${common.join('.')}.>` : `${prefix}.>`;
}
