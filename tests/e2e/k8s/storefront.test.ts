/**
 * The operator on a real cluster: install the chart, apply a Storefront, watch it become Ready,
 * break an owned object and see it repaired, upgrade the version, delete the store.
 * Needs the images in the cluster (kind: `kind load docker-image`), see docs/kubernetes.md.
 * Run: npx vitest run -c tests/e2e/k8s/vitest.config.ts
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { KubeObject } from '@storefront/operator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { helm, ROOT } from '../../../charts/tests/helm.ts';
import { eventually, findCluster } from './cluster.ts';

const cluster = await findCluster();
if ('skip' in cluster)
  console.log(`[e2e/k8s] skipped: ${cluster.skip}. Point KUBECONFIG at a cluster (e.g. kind) to run it.`);

const OPERATOR_IMAGE = process.env.E2E_OPERATOR_IMAGE ?? 'storefront-operator:dev';
const APP_IMAGE = process.env.E2E_APP_IMAGE ?? 'storefront:dev';
const READY_MS = Number(process.env.E2E_READY_TIMEOUT_MS ?? 600_000);
const run = randomBytes(3).toString('hex');
const system = `sf-e2e-system-${run}`;
const ns = `sf-e2e-${run}`;
const NAME = 'e2e';
const ref = (kind: string, name: string, namespace = ns) => ({ apiVersion: '', kind, name, namespace });

describe.skipIf('skip' in cluster)(
  `Storefront operator on ${'context' in cluster ? cluster.context : 'no cluster'}`,
  () => {
    const client = 'client' in cluster ? cluster.client : (undefined as never);
    const sf = () =>
      client.get({ apiVersion: 'storefront.dev/v1alpha1', kind: 'Storefront', namespace: ns, name: NAME });
    const condition = async (type: string) =>
      ((await sf())?.status as { conditions?: { type: string; status: string }[] } | undefined)?.conditions?.find(
        (c) => c.type === type,
      )?.status;
    const image = (o: KubeObject | undefined) =>
      (o?.spec as { template?: { spec?: { containers?: { image?: string }[] } } } | undefined)?.template?.spec
        ?.containers?.[0]?.image;

    beforeAll(async () => {
      const [repository, tag] = OPERATOR_IMAGE.split(':');
      const installed = await helm([
        'upgrade',
        '--install',
        'storefront-operator',
        join(ROOT, 'charts/storefront-operator'),
        '--namespace',
        system,
        '--create-namespace',
        '--wait',
        '--timeout',
        '5m',
        '--set',
        `image.repository=${repository}`,
        '--set',
        `image.tag=${tag ?? 'dev'}`,
        '--set',
        'replicaCount=1',
      ]);
      expect(installed.stderr).not.toMatch(/^Error/m);
      await client.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    }, 360_000);

    afterAll(async () => {
      await client.delete({ apiVersion: 'v1', kind: 'Namespace', name: ns });
      await helm(['uninstall', 'storefront-operator', '--namespace', system, '--wait']);
      await client.delete({ apiVersion: 'v1', kind: 'Namespace', name: system });
    }, 300_000);

    it(
      'applies a Storefront and reaches Ready: data plane, then migrations, then services',
      async () => {
        await client.apply(
          {
            apiVersion: 'storefront.dev/v1alpha1',
            kind: 'Storefront',
            metadata: { name: NAME, namespace: ns },
            spec: {
              image: APP_IMAGE,
              version: '1.0.0',
              postgres: { managed: { storage: '1Gi' } },
              nats: { managed: { storage: '512Mi' } },
              services: { crm: { enabled: false }, analytics: { enabled: false } },
            },
          },
          'e2e',
        );
        await eventually(
          'StatefulSets',
          async () => (await client.list('apps/v1', 'StatefulSet', { namespace: ns })).items.length === 3,
          60_000,
        );
        await eventually('DatabaseReady', async () => (await condition('DatabaseReady')) === 'True', READY_MS);
        await eventually(
          'MigrationsComplete',
          async () => (await condition('MigrationsComplete')) === 'True',
          READY_MS,
        );
        await eventually('Ready', async () => (await condition('Ready')) === 'True', READY_MS);
        const deployments = (await client.list('apps/v1', 'Deployment', { namespace: ns })).items;
        expect(deployments.map((d) => d.metadata.name)).toContain(`${NAME}-gateway`);
        expect(deployments.map((d) => d.metadata.name)).not.toContain(`${NAME}-crm`);
        expect(
          (await client.list('networking.k8s.io/v1', 'NetworkPolicy', { namespace: ns })).items.length,
        ).toBeGreaterThan(5);
        expect((await sf())?.status).toMatchObject({ version: '1.0.0', observedGeneration: 1 });
      },
      READY_MS * 3,
    );

    it('repairs an edited Deployment and a deleted Service', async () => {
      await client.apply(
        {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: { name: `${NAME}-cart`, namespace: ns },
          spec: { template: { spec: { containers: [{ name: 'cart', image: 'busybox:latest' }] } } },
        },
        'e2e-intruder',
      );
      await client.delete(ref('Service', `${NAME}-orders`));
      await eventually(
        'the cart image to be restored',
        async () => image(await client.get(ref('Deployment', `${NAME}-cart`))) === APP_IMAGE,
        120_000,
      );
      await eventually('the orders Service to come back', () => client.get(ref('Service', `${NAME}-orders`)), 120_000);
    }, 300_000);

    it(
      'upgrades: a new version runs a new migration Job, then rolls the services',
      async () => {
        const before = (await client.list('batch/v1', 'Job', { namespace: ns })).items.map((j) => j.metadata.name);
        await client.apply(
          {
            apiVersion: 'storefront.dev/v1alpha1',
            kind: 'Storefront',
            metadata: { name: NAME, namespace: ns },
            spec: { image: APP_IMAGE, version: '1.0.1' },
          },
          'e2e',
        );
        await eventually(
          'a new migration Job',
          async () =>
            (await client.list('batch/v1', 'Job', { namespace: ns })).items.some(
              (j) => !before.includes(j.metadata.name),
            ),
          120_000,
        );
        await eventually(
          'status.version 1.0.1 and Ready',
          async () => {
            const status = (await sf())?.status as { version?: string } | undefined;
            return status?.version === '1.0.1' && (await condition('Ready')) === 'True';
          },
          READY_MS,
        );
      },
      READY_MS * 2,
    );

    it('deletes everything it owns with the Storefront, keeping data volumes and credentials', async () => {
      await client.delete({ apiVersion: 'storefront.dev/v1alpha1', kind: 'Storefront', namespace: ns, name: NAME });
      await eventually(
        'Deployments and StatefulSets to go',
        async () => {
          const left = [
            ...(await client.list('apps/v1', 'Deployment', { namespace: ns })).items,
            ...(await client.list('apps/v1', 'StatefulSet', { namespace: ns })).items,
          ];
          return left.length === 0;
        },
        300_000,
      );
      expect((await client.list('v1', 'PersistentVolumeClaim', { namespace: ns })).items.length).toBeGreaterThanOrEqual(
        3,
      );
      expect(await client.get(ref('Secret', `${NAME}-credentials`))).toBeDefined();
      expect(
        await client.get({ apiVersion: '', kind: 'CustomResourceDefinition', name: 'storefronts.storefront.dev' }),
      ).toBeDefined();
    }, 360_000);
  },
);
