import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SERVICES, type ServiceInfo } from '@storefront/contracts';
import { busMigrationsDir, createDb, migrate, provisionSchema, urlForRole } from '@storefront/kit';

/** The repository root, wherever the process was started from. */
export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Services whose folder exists: the SERVICES list says what may run, the tree says what does. */
export function presentServices(): ServiceInfo[] {
  return SERVICES.filter((s) => existsSync(join(ROOT, 'services', s.name, 'src', 'main.ts')));
}

export function mainFile(service: string): string {
  return join(ROOT, 'services', service, 'src', 'main.ts');
}

/** Extensions some schemas need; only an owner/superuser may create them, so the admin does it first. */
const EXTENSIONS = ['pg_trgm', 'unaccent'];

export interface MigrateAllOptions {
  readonly adminUrl: string;
  /** Password for each service's login role. */
  readonly passwordFor: (service: string) => string;
  readonly only?: readonly string[];
  /** Prepended to each service's role name, so two installations can share one Postgres server. */
  readonly rolePrefix?: string;
  readonly log?: (line: string) => void;
}

export function roleName(service: string, prefix = ''): string {
  return `${prefix}${service.replaceAll('-', '_')}`;
}

/**
 * What the Kubernetes migration Job and the local launcher both do before services start: give
 * each database service its role and schema, then apply its migrations *as that role*, so the
 * tables belong to the service and no other role can read them.
 */
export async function migrateAll(opts: MigrateAllOptions): Promise<Record<string, string[]>> {
  const log = opts.log ?? (() => {});
  const admin = createDb({ url: opts.adminUrl, schema: 'public', max: 1 });
  try {
    for (const ext of EXTENSIONS) await admin.query(`CREATE EXTENSION IF NOT EXISTS ${ext}`);
  } finally {
    await admin.close();
  }
  const applied: Record<string, string[]> = {};
  for (const svc of presentServices()) {
    if (!svc.database || (opts.only && !opts.only.includes(svc.name))) continue;
    const schema = svc.name.replaceAll('-', '_');
    const password = opts.passwordFor(svc.name);
    const role = roleName(svc.name, opts.rolePrefix);
    await provisionSchema({ adminUrl: opts.adminUrl, schema, role, password });
    const db = createDb({ url: urlForRole(opts.adminUrl, role, password), schema, max: 1 });
    try {
      const dirs = [join(ROOT, 'services', svc.name, 'migrations')];
      if (svc.messaging) dirs.unshift(busMigrationsDir);
      const result = await migrate(db, dirs);
      applied[svc.name] = result.applied;
      log(`${svc.name}: ${result.applied.length ? `applied ${result.applied.join(', ')}` : 'up to date'}`);
    } finally {
      await db.close();
    }
  }
  return applied;
}
