import { readFileSync, statSync } from 'node:fs';
import { z } from 'zod';
import { InjectedFault } from './errors.ts';

/**
 * Fault flags for chaos tests. Rules come from FAULTS (JSON) or FAULTS_FILE (JSON, re-read when
 * its mtime changes, so a test can turn faults on and off in a running process):
 *   { "route": "POST /checkout", "fail": 0.5, "status": 503 }   fail half the calls
 *   { "route": "GET /products/:id", "delayMs": 300 }             slow a route
 *   { "handler": "order.placed.v1", "fail": 1 }                  fail an event handler
 *   { "crashAfter": "saga.authorized" }                          SIGKILL self at a named point
 * `times` bounds how often a rule fires; omit for always.
 */
const Rule = z
  .object({
    route: z.string().max(300).optional(),
    handler: z.string().max(300).optional(),
    crashAfter: z.string().max(300).optional(),
    fail: z.number().min(0).max(1).default(0),
    delayMs: z.number().int().min(0).max(600_000).default(0),
    status: z.number().int().min(400).max(599).default(503),
    times: z.number().int().positive().optional(),
  })
  .refine((r) => [r.route, r.handler, r.crashAfter].filter(Boolean).length === 1, {
    message: 'a rule names exactly one of route, handler, crashAfter',
  });
const Rules = z.array(Rule).max(100);
type FaultRule = z.infer<typeof Rule>;

export interface Faults {
  /** Applies route rules; `where` is "METHOD /route/template". */
  route(where: string): Promise<void>;
  /** Applies handler rules for an event handler or a named operation. */
  handler(name: string): Promise<void>;
  /** Kills the process with SIGKILL if a crashAfter rule names this point. */
  point(name: string): void;
  readonly active: boolean;
}

export interface FaultOptions {
  readonly json?: string | undefined;
  readonly file?: string | undefined;
  readonly random?: () => number;
  readonly kill?: () => void;
}

export function createFaults(opts: FaultOptions): Faults {
  const random = opts.random ?? Math.random;
  const kill = opts.kill ?? (() => process.kill(process.pid, 'SIGKILL'));
  let rules: FaultRule[] = opts.json ? Rules.parse(JSON.parse(opts.json)) : [];
  let mtime = -1;
  const fired = new Map<FaultRule, number>();

  function current(): FaultRule[] {
    if (!opts.file) return rules;
    try {
      const m = statSync(opts.file).mtimeMs;
      if (m !== mtime) {
        mtime = m;
        rules = Rules.parse(JSON.parse(readFileSync(opts.file, 'utf8') || '[]'));
        fired.clear();
      }
    } catch {
      rules = [];
      mtime = -1;
    }
    return rules;
  }

  function take(rule: FaultRule): boolean {
    const n = fired.get(rule) ?? 0;
    if (rule.times !== undefined && n >= rule.times) return false;
    fired.set(rule, n + 1);
    return true;
  }

  async function apply(matching: FaultRule[], where: string) {
    for (const rule of matching) {
      if (rule.delayMs > 0 && take(rule)) await new Promise((r) => setTimeout(r, rule.delayMs));
      if (rule.fail > 0 && random() < rule.fail && take(rule)) throw new InjectedFault(where, rule.status);
    }
  }

  return {
    get active() {
      return current().length > 0;
    },
    async route(where) {
      const list = current();
      if (list.length)
        await apply(
          list.filter((r) => r.route === where),
          where,
        );
    },
    async handler(name) {
      const list = current();
      if (list.length)
        await apply(
          list.filter((r) => r.handler === name),
          name,
        );
    },
    point(name) {
      const list = current();
      if (list.length && list.some((r) => r.crashAfter === name && take(r))) kill();
    },
  };
}
