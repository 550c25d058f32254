import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { presentServices } from '../../../bin/platform.ts';
import { BENCH_WEB_DATA_DIR, readyFileFor } from './web-render.ts';

/**
 * The bench target for web-render-*: the whole platform as `npm start` runs it (the launcher, every
 * service, web included), its gateway on the PORT the harness chose. The database, Redis prefix,
 * stream prefix, roles and secrets are the bench's own and persist between runs (.data/bench-web),
 * so only the first run migrates and seeds. The gateway's rate limits are lifted: the bench is one
 * client and would otherwise measure the limiter's refusals.
 *
 * The launcher runs in a process group of its own, so stopping this process stops every service
 * even when a graceful stop would outlast the harness's grace period.
 */
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const port = process.env.PORT;
if (!port) throw new Error('PORT is not set (the bench harness sets it)');
if (!existsSync(join(ROOT, 'services/web/src/main.ts'))) {
  process.stderr.write('services/web does not exist yet: nothing renders the shop pages\n');
  process.exit(1);
}

// Every service listens at its usual port shifted like the gateway's; the harness chose the
// gateway's port alone, so say plainly when one of the others is taken instead of failing later.
const canListen = (p: number) =>
  new Promise<boolean>((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(false));
    srv.listen(p, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
const services = presentServices();
const offset = Number(port) - (services.find((s) => s.name === 'gateway')?.port ?? 8080);
for (const svc of services) {
  if (svc.name !== 'gateway' && !(await canListen(svc.port + offset))) {
    process.stderr.write(`port ${svc.port + offset} for ${svc.name} is taken; run the bench again\n`);
    process.exit(1);
  }
}

const readyFile = readyFileFor(port);
mkdirSync(join(ROOT, BENCH_WEB_DATA_DIR), { recursive: true });
rmSync(readyFile, { force: true });

const launcher = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'k8s-dev/launcher/main.ts')], {
  cwd: ROOT,
  detached: true,
  env: {
    ...process.env,
    DATABASE_URL: process.env.BENCH_WEB_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/bench_web',
    REDIS_PREFIX: 'bench-web:',
    EVENT_PREFIX: 'benchweb',
    DB_ROLE_PREFIX: 'benchweb_',
    GATEWAY_PORT: port,
    DATA_DIR: BENCH_WEB_DATA_DIR,
    LOG_FORMAT: 'json',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
    SEED_PRODUCTS: process.env.BENCH_WEB_PRODUCTS ?? '400',
    SERVICES: '',
    LAUNCHER_READY_FILE: readyFile,
    RATE_LIMITS: JSON.stringify({ default: { rate: 1_000_000, burst: 1_000_000 } }),
  },
  stdio: ['ignore', 'pipe', 'pipe'],
});
const pid = launcher.pid;
const tail: string[] = [];
for (const stream of [launcher.stdout, launcher.stderr]) {
  stream?.on('data', (d: Buffer) => {
    process.stdout.write(d);
    tail.push(d.toString());
    if (tail.length > 40) tail.shift();
  });
}

const killGroup = () => {
  try {
    if (pid !== undefined) process.kill(-pid, 'SIGKILL');
  } catch {
    // already gone
  }
};
process.once('exit', killGroup);

let stopping = false;
launcher.once('exit', (code) => {
  if (stopping) process.exit(0);
  process.stderr.write(`the launcher exited with ${code}:\n${tail.join('').slice(-3000)}\n`);
  process.exit(1);
});

// Ctrl-C to the launcher (it stops the gateway first, then the rest); the whole group is killed
// after 4 s, inside the harness's 5 s grace.
const stop = () => {
  if (stopping) return;
  stopping = true;
  launcher.kill('SIGINT');
  setTimeout(() => {
    killGroup();
    process.exit(0);
  }, 4_000).unref();
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
