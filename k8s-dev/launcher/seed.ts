import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { ServiceInfo } from '@storefront/contracts';
import { createDb, type Db, urlForRole } from '@storefront/kit';
import { ROOT, roleName } from '../../bin/platform.ts';
import { type LocalSecrets, passwordFor } from './secrets.ts';

type Seeder = (db: Db, opts: { products: number; seed: number }) => Promise<unknown>;

/**
 * Runs each service's demo-data seeder (`services/<name>/src/seed/index.ts`, export `seed` or
 * `seed<Name>`) as that service's own role. Seeders are idempotent, so every start may run them.
 */
export async function seedAll(opts: {
  adminUrl: string;
  rolePrefix: string;
  secrets: LocalSecrets;
  services: readonly ServiceInfo[];
  products: number;
  say: (line: string) => void;
}): Promise<void> {
  for (const svc of opts.services) {
    const file = join(ROOT, 'services', svc.name, 'src', 'seed', 'index.ts');
    if (!svc.database || !existsSync(file)) continue;
    const mod = (await import(file)) as Record<string, unknown>;
    const name = `seed${svc.name[0]?.toUpperCase()}${svc.name.slice(1)}`;
    const seeder = (mod.seed ?? mod[name]) as Seeder | undefined;
    if (typeof seeder !== 'function') continue;
    const schema = svc.name.replaceAll('-', '_');
    const db = createDb({
      url: urlForRole(opts.adminUrl, roleName(svc.name, opts.rolePrefix), passwordFor(opts.secrets, svc.name)),
      schema,
      max: 4,
    });
    const started = Date.now();
    try {
      const result = await seeder(db, { products: opts.products, seed: 42 });
      opts.say(`  seed ${svc.name}: ${JSON.stringify(result ?? 'done')} in ${Date.now() - started} ms`);
    } finally {
      await db.close();
    }
  }
}
