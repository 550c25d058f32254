/**
 * Every file that is generated from code but checked in: the CRD template, both charts'
 * values.schema.json, and the chart copies of observability/ dashboards and rules (Helm can only
 * read files inside its chart). `npm run generate -w @storefront/cdk8s` writes them;
 * generated-files.test.ts fails when one drifts.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { stringify } from 'yaml';
import { OperatorChartValues, StorefrontChartValues } from './chart-values.ts';
import { storefrontCrd } from './crd.ts';
import { toValuesSchema } from './json-schema.ts';

export const REGENERATE = 'npm run generate -w @storefront/cdk8s';
const HEADER = `# Generated from cdk8s/src/api by \`${REGENERATE}\`; do not edit.`;

/** Directories whose content is fully owned by the generator (stale files there are drift too). */
export const GENERATED_DIRS = ['charts/storefront/files/dashboards', 'charts/storefront/files/rules'];

function crdTemplate(): string {
  const crd = storefrontCrd();
  const metadata = crd.metadata as Record<string, unknown>;
  // Helm must never delete the CRD: that would delete every Storefront with it.
  metadata.annotations = { 'helm.sh/resource-policy': 'keep' };
  const body = stringify(crd, { lineWidth: 0 });
  return `{{- if .Values.crds.create }}\n${HEADER}\n${body}{{- end }}\n`;
}

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

function listFiles(dir: string, accept: (name: string) => boolean): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...listFiles(path, accept));
    else if (accept(name)) out.push(path);
  }
  return out;
}

/** Copies observability/grafana/dashboards/**.json and observability/prometheus/rules/**.y(a)ml. */
function observabilityCopies(root: string): Map<string, string> {
  const out = new Map<string, string>();
  const copies = [
    {
      from: 'observability/grafana/dashboards',
      to: 'charts/storefront/files/dashboards',
      accept: (n: string) => n.endsWith('.json'),
    },
    {
      from: 'observability/prometheus/rules',
      to: 'charts/storefront/files/rules',
      accept: (n: string) => /\.ya?ml$/.test(n) && !n.includes('test'),
    },
  ];
  for (const { from, to, accept } of copies) {
    for (const path of listFiles(join(root, from), accept)) {
      // Flattened: ConfigMap keys cannot contain slashes.
      const flat = relative(join(root, from), path).replaceAll('/', '-');
      out.set(`${to}/${flat}`, readFileSync(path, 'utf8'));
    }
  }
  return out;
}

/** Path (relative to the repo root) → expected content. */
export function generatedFiles(root: string): Map<string, string> {
  const files = new Map<string, string>([
    ['charts/storefront-operator/templates/crd.yaml', crdTemplate()],
    ['charts/storefront-operator/values.schema.json', json(toValuesSchema(OperatorChartValues))],
    ['charts/storefront/values.schema.json', json(toValuesSchema(StorefrontChartValues))],
  ]);
  for (const [path, content] of observabilityCopies(root)) files.set(path, content);
  return files;
}
