/** Writes the generated files (see generated-files.ts). Run: npm run generate -w @storefront/cdk8s */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GENERATED_DIRS, generatedFiles } from './generated-files.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const files = generatedFiles(root);
for (const dir of GENERATED_DIRS) {
  // Start owned directories empty so a dashboard removed from observability/ leaves the chart too.
  rmSync(join(root, dir), { recursive: true, force: true });
  mkdirSync(join(root, dir), { recursive: true });
  writeFileSync(join(root, dir, '.gitkeep'), '');
}
for (const [path, content] of files) {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), content);
  console.log(`wrote ${path}`);
}
for (const dir of GENERATED_DIRS) console.log(`${dir}: ${readdirSync(join(root, dir)).length - 1} file(s)`);
