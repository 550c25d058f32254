/**
 * `npm run synth [-- path/to/storefront.yaml]`: writes the CRD and every object of a Storefront
 * (the built-in sample by default) to synth-out/, for review or `kubectl apply -f synth-out/`.
 * Passwords are generated fresh on each run; the operator instead keeps them in a Secret.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';
import { storefrontCrd } from './api/crd.ts';
import { StorefrontSpec } from './api/spec.ts';
import { ensureCredentials } from './credentials.ts';
import { releaseOf } from './release.ts';
import { sampleResource } from './sample.ts';
import { buildStorefront } from './storefront-chart.ts';

const root = resolve(import.meta.dirname, '../..');
const file = process.argv[2];
/** The Storefront document of a (possibly multi-document) YAML file. */
function storefrontFrom(path: string) {
  const docs = parseAllDocuments(readFileSync(resolve(process.cwd(), path), 'utf8')).map((d) => d.toJS());
  const found = docs.find((d) => d?.kind === 'Storefront');
  if (!found) throw new Error(`${path} holds no Storefront`);
  return found;
}
const resource = file ? storefrontFrom(file) : sampleResource();
const name: string = resource.metadata.name;
const namespace: string = resource.metadata.namespace ?? 'default';
const spec = StorefrontSpec.parse(resource.spec);
if (spec.postgres?.mode === 'external')
  throw new Error('synth cannot read the external Postgres secret; use the operator');
const release = releaseOf(spec);

const objects = buildStorefront({
  name,
  namespace,
  spec,
  release,
  credentials: ensureCredentials({}),
  gate: { migrate: true, services: release },
});

const out = join(root, 'synth-out');
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const docs = (items: unknown[]) => items.map((o) => stringify(o, { lineWidth: 0 })).join('---\n');
writeFileSync(join(out, '00-crd.yaml'), docs([storefrontCrd()]));
writeFileSync(
  join(out, '01-namespace.yaml'),
  docs([{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } }]),
);
writeFileSync(join(out, `10-${name}.yaml`), docs(objects));
console.log(
  `wrote ${objects.length} objects for Storefront ${namespace}/${name} (revision ${release.revision}) to synth-out/`,
);
