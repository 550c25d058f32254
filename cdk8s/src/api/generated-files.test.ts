import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GENERATED_DIRS, generatedFiles, REGENERATE } from './generated-files.ts';

const root = resolve(import.meta.dirname, '../../..');

describe('checked-in generated files', () => {
  const files = generatedFiles(root);

  it.each([...files.keys()])('%s matches what the zod schema generates', (path) => {
    const onDisk = existsSync(join(root, path)) ? readFileSync(join(root, path), 'utf8') : '(missing)';
    expect(onDisk, `${path} drifted; run \`${REGENERATE}\``).toBe(files.get(path));
  });

  it.each(GENERATED_DIRS)('%s holds no stale copies', (dir) => {
    const present = existsSync(join(root, dir)) ? readdirSync(join(root, dir)).filter((n) => n !== '.gitkeep') : [];
    const expected = [...files.keys()].filter((p) => p.startsWith(`${dir}/`)).map((p) => p.slice(dir.length + 1));
    expect(present.sort(), `stale files in ${dir}; run \`${REGENERATE}\``).toEqual(expected.sort());
  });
});
