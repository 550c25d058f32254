import { createDb } from '@storefront/kit';
import type { Scenario, ScenarioContext } from '../types.ts';

const PASSWORD = 'bench password that is long';
const admin = process.env.BENCH_ADMIN_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

function benchDbUrl(): string {
  const url = new URL(admin);
  url.pathname = '/bench_identity';
  return url.toString();
}

/** Signs a customer up and follows the verification link (read from the outbox, as notifications would). */
async function setup(ctx: ScenarioContext): Promise<void> {
  const email = `${ctx.runId}@bench.test`;
  const post = (path: string, body: unknown) =>
    fetch(`${ctx.baseUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const reg = await post('/register', { email, password: PASSWORD });
  if (reg.status !== 202) throw new Error(`register: ${reg.status}`);
  const db = createDb({ url: benchDbUrl(), schema: 'identity', max: 1 });
  const r = await db.query<{ token: string }>(
    `SELECT payload->>'token' AS token FROM outbox
     WHERE subject = 'identity.email-verification-requested.v1' AND payload->>'email' = $1 ORDER BY seq DESC LIMIT 1`,
    [email],
  );
  await db.close();
  const verified = await post('/email/verify', { token: r.rows[0]?.token });
  if (verified.status !== 200) throw new Error(`verify: ${verified.status}`);
  ctx.vars.set('email', email);
}

/**
 * Password sign-in at the real argon2id parameters (m=19456 KiB, t=2, p=1): slow by design. The
 * closed-loop figure is the hashing ceiling with HASH_CONCURRENCY=2; the fixed rate shows latency
 * under a plausible sign-in rate. Beyond the hashing queue the service sheds load with 503s.
 */
export const identityLogin: Scenario = {
  name: 'identity-login',
  description: 'POST /login (argon2id OWASP parameters, session + ES256 token issued) against the real identity',
  target: { kind: 'spawn', entry: new URL('./identity-login-target.ts', import.meta.url), ready: '/readyz' },
  requests: (ctx) => [
    {
      method: 'POST',
      path: '/login',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: ctx.vars.get('email'), password: PASSWORD }),
    },
  ],
  loads: [
    { mode: 'max', connections: 8 },
    { mode: 'fixed', rate: 40 },
  ],
  duration: 10,
  setup,
};
