/**
 * Bulk-loads the demo catalog, e.g. for benchmarks:
 *   node --import tsx services/catalog/src/seed/cli.ts --products 100000 [--seed 42] [--schema catalog]
 * Connects to DATABASE_URL (default the local `storefront` database), migrates the schema first,
 * and prints the time taken.
 */
import { parseArgs } from 'node:util';
import { busMigrationsDir, createDb, migrate } from '@storefront/kit';
import { seedCatalog } from './load.ts';

const { values } = parseArgs({
  options: {
    products: { type: 'string', default: '300' },
    seed: { type: 'string', default: '42' },
    schema: { type: 'string', default: 'catalog' },
    batch: { type: 'string', default: '1000' },
  },
});
const products = Number(values.products);
const seed = Number(values.seed);
const batch = Number(values.batch);
if (!Number.isSafeInteger(products) || products < 0 || !Number.isSafeInteger(seed) || !(batch > 0)) {
  process.stderr.write('usage: cli.ts --products <n> [--seed <n>] [--schema <name>] [--batch <n>]\n');
  process.exit(2);
}

const db = createDb({
  url: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/storefront',
  schema: values.schema,
  max: 2,
  statementTimeoutMs: 600_000,
});
try {
  const migrated = await migrate(db, [busMigrationsDir, new URL('../../migrations', import.meta.url).pathname]);
  if (migrated.applied.length) process.stdout.write(`migrated ${values.schema}: ${migrated.applied.join(', ')}\n`);
  let last = Date.now();
  const result = await seedCatalog(db, {
    products,
    seed,
    batch,
    onProgress: (done, inserted) => {
      if (Date.now() - last < 5_000 && done < products) return;
      last = Date.now();
      process.stdout.write(`  ${done}/${products} generated, ${inserted} inserted\n`);
    },
  });
  const rate = result.inserted ? Math.round((result.inserted / result.ms) * 1000) : 0;
  process.stdout.write(
    `seeded ${values.schema}: ${result.inserted} new of ${result.products} products in ${(result.ms / 1000).toFixed(1)} s` +
      `${rate ? ` (${rate} products/s)` : ''}\n`,
  );
} finally {
  await db.close();
}
