/**
 * `npm start`: the whole platform on this machine. Checks Postgres, Redis and NATS (starting a
 * private one under .data/ when one is down and its binary is installed), provisions roles and
 * runs migrations, seeds the demo store, starts every service as its own process, waits until
 * each is ready, prints the URLs, and stops everything cleanly on Ctrl-C.
 */
import { join } from 'node:path';
import { serviceInfo } from '@storefront/contracts';
import { ConfigError } from '@storefront/kit';
import { mainFile, migrateAll, presentServices, ROOT } from '../../bin/platform.ts';
import { readLauncherConfig } from './config.ts';
import { ensureDatabase } from './database.ts';
import { type Infra, reachable, type Started, startPrivate, waitReachable } from './infra.ts';
import { startService, waitReady } from './processes.ts';
import { loadSecrets, passwordFor, saveSecrets } from './secrets.ts';
import { seedAll } from './seed.ts';
import { serviceEnv } from './service-env.ts';

const say = (line: string) => process.stdout.write(`${line}\n`);

let config: ReturnType<typeof readLauncherConfig>;
try {
  config = readLauncherConfig();
} catch (err) {
  if (err instanceof ConfigError) {
    say(err.message);
    process.exit(2);
  }
  throw err;
}

const dataDir = join(ROOT, config.DATA_DIR);
const hostPort = (url: string, fallback: number) => {
  const u = new URL(url);
  return { host: u.hostname, port: Number(u.port) || fallback };
};
const infra: Infra[] = [
  {
    name: 'postgres',
    ...hostPort(config.DATABASE_URL, 5432),
    install: 'apt-get update && apt-get install -y postgresql',
  },
  { name: 'redis', ...hostPort(config.REDIS_URL, 6379), install: 'apt-get update && apt-get install -y redis-server' },
  { name: 'nats', ...hostPort(config.NATS_URL, 4222), install: 'apt-get update && apt-get install -y nats-server' },
];

const privateInfra: Started[] = [];
for (const dep of infra) {
  if (await reachable(dep.host, dep.port)) {
    say(`✓ ${dep.name} at ${dep.host}:${dep.port}`);
    continue;
  }
  const started = startPrivate(dep, dataDir);
  if ('missing' in started) {
    say(
      `✗ ${dep.name} is not reachable at ${dep.host}:${dep.port} and is not installed. Install it with:\n    ${dep.install}`,
    );
    process.exit(1);
  }
  privateInfra.push(started);
  if (!(await waitReachable(dep.host, dep.port, 30))) {
    say(`✗ started a private ${dep.name} under ${dataDir} but it did not come up on ${dep.port}`);
    await Promise.all(privateInfra.map((p) => p.stop()));
    process.exit(1);
  }
  say(
    `✓ ${dep.name}: started a private instance on ${dep.host}:${dep.port} (data in ${join(config.DATA_DIR, dep.name)})`,
  );
}

const secretsFile = join(dataDir, 'secrets.json');
const secrets = loadSecrets(secretsFile);
const wanted = presentServices().filter((s) => config.SERVICES.length === 0 || config.SERVICES.includes(s.name));
for (const s of wanted) if (s.database) passwordFor(secrets, s.name);
saveSecrets(secretsFile, secrets);

try {
  await ensureDatabase(config.DATABASE_URL);
  await migrateAll({
    adminUrl: config.DATABASE_URL,
    only: wanted.map((s) => s.name),
    rolePrefix: config.DB_ROLE_PREFIX,
    passwordFor: (name) => passwordFor(secrets, name),
    log: (line) => say(`  migrate ${line}`),
  });
  if (config.SEED_PRODUCTS > 0) {
    await seedAll({
      adminUrl: config.DATABASE_URL,
      rolePrefix: config.DB_ROLE_PREFIX,
      secrets,
      services: wanted,
      products: config.SEED_PRODUCTS,
      say,
    });
  }
} catch (err) {
  // A failed migration or seed is the developer's next thing to fix: say what and where, no stack.
  say(`✗ preparing the database failed: ${(err as Error).message}`);
  await Promise.all(privateInfra.map((p) => p.stop()));
  process.exit(1);
}

const offset = config.GATEWAY_PORT - (serviceInfo('gateway')?.port ?? 8080);
const running = wanted.map((svc, index) =>
  startService({
    name: svc.name,
    port: svc.port + offset,
    entry: mainFile(svc.name),
    cwd: ROOT,
    index,
    format: config.LOG_FORMAT,
    write: say,
    env: serviceEnv(svc, { config, secrets, offset, services: wanted }),
  }),
);

let stopping = false;
async function stopAll(code: number) {
  if (stopping) return;
  stopping = true;
  say('\nstopping services…');
  // The edge goes first so no new work arrives while the rest drain.
  const gateway = running.filter((r) => r.name === 'gateway');
  await Promise.all(gateway.map((r) => r.stop()));
  await Promise.all(running.filter((r) => r.name !== 'gateway').map((r) => r.stop()));
  await Promise.all(privateInfra.map((p) => p.stop()));
  say('stopped.');
  process.exit(code);
}
process.on('SIGINT', () => void stopAll(0));
process.on('SIGTERM', () => void stopAll(0));

const results = await Promise.all(
  running.map(
    async (r) => [r, await waitReady(`http://127.0.0.1:${r.port}/readyz`, config.READY_TIMEOUT_SECONDS)] as const,
  ),
);
const failed = results.filter(([, ok]) => !ok).map(([r]) => r.name);
if (stopping) process.exit(0);

const gatewayUrl = `http://localhost:${config.GATEWAY_PORT}`;
say('');
say(failed.length ? `⚠ not ready after ${config.READY_TIMEOUT_SECONDS}s: ${failed.join(', ')}` : '✓ Storefront is up');
say('');
say(`  Storefront        ${gatewayUrl}/`);
if (running.some((r) => r.name === 'web')) say(`  Admin console     ${gatewayUrl}/admin   (staff sign-in with MFA)`);
say(`  API reference     ${gatewayUrl}/api/docs`);
say(`  Search example    ${gatewayUrl}/api/catalog/products?q=wireless+headphones`);
say(`  Service token     in ${join(config.DATA_DIR, 'secrets.json')} (X-Service-Token, for service-to-service calls)`);
if (running.some((r) => r.name === 'identity')) {
  say(
    `  First admin       ${secrets.adminEmail} / ${secrets.adminPassword}   (sign in at /account/sign-in; enrol TOTP there)`,
  );
}
for (const r of running)
  say(`  ${r.name.padEnd(16)}  http://127.0.0.1:${r.port}  (/healthz /readyz /metrics /openapi.json)`);
say('');
say('Press Ctrl-C to stop.');
if (process.env.LAUNCHER_READY_FILE) {
  const { writeFileSync } = await import('node:fs');
  writeFileSync(
    process.env.LAUNCHER_READY_FILE,
    JSON.stringify({
      gatewayUrl,
      failed,
      adminToken: secrets.adminToken,
      adminEmail: secrets.adminEmail,
      adminPassword: secrets.adminPassword,
    }),
  );
}
