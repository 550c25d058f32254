import { trace } from '@opentelemetry/api';
import { type DestinationStream, type Logger, pino } from 'pino';

export type { Logger } from 'pino';

/** Keys whose values are never logged, wherever they appear. */
const SECRET_KEYS = [
  'password',
  'newPassword',
  'currentPassword',
  'token',
  'accessToken',
  'refreshToken',
  'idToken',
  'secret',
  'clientSecret',
  'apiKey',
  'authorization',
  'cookie',
  'set-cookie',
  'x-admin-token',
  'cardNumber',
  'cvc',
  'cvv',
  'totpCode',
  'recoveryCode',
];
// Matched case-insensitively at any depth. Censoring happens in the same walk that masks card
// numbers: pino's wildcard redaction made every child logger cost ~30 µs (measured by the bench).
const SECRET = new Set(SECRET_KEYS.map((k) => k.toLowerCase()));

// 13–19 digits, optionally grouped by spaces or dashes: anything that could be a card number.
const PAN = /\b(?:\d[ -]?){12,18}\d\b/g;
// Bearer tokens and JWT-shaped strings.
const JWT = /\beyJ[\w-]{5,}\.[\w-]{5,}\.[\w-]{5,}\b/g;
const BEARER = /\b(Bearer|Basic)\s+[\w\-.~+/=]{8,}/gi;

/** Masks card-number-like digits and tokens inside free text. */
export function scrubText(s: string): string {
  return s
    .replace(PAN, (m) => {
      const digits = m.replace(/\D/g, '');
      return `[card ****${digits.slice(-4)}]`;
    })
    .replace(JWT, '[jwt]')
    .replace(BEARER, '$1 [redacted]');
}

function scrubValue(v: unknown, depth: number): unknown {
  if (typeof v === 'string') return scrubText(v);
  if (depth > 4 || v === null || typeof v !== 'object') return v;
  if (v instanceof Error) return v;
  if (Array.isArray(v)) return v.map((x) => scrubValue(x, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v))
    out[k] = SECRET.has(k.toLowerCase()) ? '[redacted]' : scrubValue(x, depth + 1);
  return out;
}

export interface LogOptions {
  readonly service: string;
  readonly level?: string;
  readonly destination?: DestinationStream;
}

/** JSON logs with the active trace and span ids, secrets redacted and card numbers masked. */
export function createLogger(opts: LogOptions): Logger {
  return pino(
    {
      level: opts.level ?? 'info',
      base: { service: opts.service },
      timestamp: pino.stdTimeFunctions.isoTime,
      messageKey: 'msg',
      formatters: {
        level: (label) => ({ level: label }),
        log: (obj) => scrubValue(obj, 0) as Record<string, unknown>,
      },
      hooks: {
        logMethod(args, method) {
          const scrubbed = args.map((a) => (typeof a === 'string' ? scrubText(a) : a));
          method.apply(this, scrubbed as Parameters<typeof method>);
        },
      },
      mixin() {
        const ctx = trace.getActiveSpan()?.spanContext();
        return ctx && ctx.traceFlags !== undefined && ctx.traceId !== '00000000000000000000000000000000'
          ? { trace_id: ctx.traceId, span_id: ctx.spanId }
          : {};
      },
    },
    opts.destination,
  );
}
