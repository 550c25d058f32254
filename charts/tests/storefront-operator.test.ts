import { validateManifests } from '@storefront/cdk8s/testing';
import { KINDS } from '@storefront/operator/kinds';
import { beforeAll, describe, expect, it } from 'vitest';
import { helm, type Rendered, ROOT, template } from './helm.ts';

const CHART = 'storefront-operator';
const byKind = (objects: Rendered[], kind: string) => objects.filter((o) => o.kind === kind);
type Rule = { apiGroups: string[]; resources: string[]; verbs: string[]; resourceNames?: string[] };
type Container = { env: { name: string; value?: string }[]; securityContext: unknown; image: string };
const podSpec = (o: Rendered | undefined) =>
  (o?.spec as { template: { spec: { containers: Container[]; securityContext: unknown } } } | undefined)?.template.spec;

describe('charts/storefront-operator', () => {
  it('passes helm lint with default and non-default values', async () => {
    for (const args of [[], ['--set', 'watchNamespace=shops', '--set', 'serviceMonitor.enabled=true']]) {
      const result = await helm(['lint', `${ROOT}/charts/${CHART}`, ...args]);
      expect(result.stderr + result.stdout).toContain('0 chart(s) failed');
    }
  });

  describe('with default values', () => {
    let objects: Rendered[] = [];
    beforeAll(async () => {
      objects = await template(CHART);
    });

    it('renders valid objects: CRD (kept on uninstall), RBAC, Deployment, Service, PDB, test hook', () => {
      expect(objects.map((o) => o.kind).sort()).toEqual(
        [
          'ClusterRole',
          'ClusterRoleBinding',
          'CustomResourceDefinition',
          'Deployment',
          'Pod',
          'PodDisruptionBudget',
          'Role',
          'RoleBinding',
          'Service',
          'ServiceAccount',
        ].sort(),
      );
      expect(() => validateManifests(objects)).not.toThrow();
      expect(byKind(objects, 'CustomResourceDefinition')[0]?.metadata.annotations).toEqual({
        'helm.sh/resource-policy': 'keep',
      });
      expect(byKind(objects, 'Pod')[0]?.metadata.annotations?.['helm.sh/hook']).toBe('test');
    });

    it('runs two hardened replicas with leader election', () => {
      const deployment = byKind(objects, 'Deployment')[0];
      expect((deployment?.spec as { replicas?: number } | undefined)?.replicas).toBe(2);
      const spec = podSpec(deployment);
      expect(spec?.securityContext).toMatchObject({
        runAsNonRoot: true,
        runAsUser: 10001,
        seccompProfile: { type: 'RuntimeDefault' },
      });
      expect(spec?.containers[0]?.securityContext).toEqual({
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        runAsNonRoot: true,
        capabilities: { drop: ['ALL'] },
      });
      expect(spec?.containers[0]?.env).toContainEqual({ name: 'LEADER_ELECT', value: 'true' });
      expect(spec?.containers[0]?.image).toBe('ghcr.io/storefront/storefront-operator:0.1.0');
    });

    it('grants exactly the kinds the operator uses, with no wildcards', () => {
      const rules = (byKind(objects, 'ClusterRole')[0]?.rules ?? []) as Rule[];
      const granted = new Set(
        rules.flatMap((r) => r.apiGroups.flatMap((g) => r.resources.map((res) => `${g}/${res}`))),
      );
      const needed = Object.entries(KINDS)
        .filter(([kind]) => kind !== 'Lease')
        .map(([, info]) => `${info.apiVersion.includes('/') ? info.apiVersion.split('/')[0] : ''}/${info.plural}`);
      expect([...granted].filter((g) => !g.includes('/storefronts/')).sort()).toEqual(needed.sort());
      expect(JSON.stringify(rules)).not.toContain('*');
      expect(rules.flatMap((r) => r.verbs)).not.toEqual(expect.arrayContaining(['escalate']));
      const lease = (byKind(objects, 'Role')[0]?.rules ?? []) as Rule[];
      expect(lease.find((r) => r.verbs.includes('update'))?.resourceNames).toEqual(['release-storefront-operator']);
    });
  });

  it('scopes RBAC to one namespace, adds a labelled ServiceMonitor and can skip the CRD', async () => {
    const objects = await template(CHART, [
      '--set',
      'watchNamespace=shops',
      '--set',
      'serviceMonitor.enabled=true',
      '--set',
      'serviceMonitor.labels.release=kube-prometheus-stack',
      '--set',
      'crds.create=false',
      '--set',
      'replicaCount=1',
      '--set',
      'leaderElection.enabled=false',
    ]);
    expect(byKind(objects, 'ClusterRole')).toEqual([]);
    expect(byKind(objects, 'Role').map((r) => r.metadata.namespace)).toEqual(['shops']);
    expect(byKind(objects, 'CustomResourceDefinition')).toEqual([]);
    expect(byKind(objects, 'PodDisruptionBudget')).toEqual([]);
    expect(byKind(objects, 'ServiceMonitor')[0]?.metadata.labels?.release).toBe('kube-prometheus-stack');
    expect(podSpec(byKind(objects, 'Deployment')[0])?.containers[0]?.env).toContainEqual({
      name: 'WATCH_NAMESPACE',
      value: 'shops',
    });
    expect(() => validateManifests(objects)).not.toThrow();
  });

  it.each([
    ['an unknown key', ['--set', 'replicas=3']],
    ['a bad enum', ['--set', 'image.pullPolicy=Sometimes']],
    ['zero replicas', ['--set', 'replicaCount=0']],
    ['a bad interval', ['--set', 'serviceMonitor.interval=often']],
  ])('values.schema.json rejects %s', async (_name, args) => {
    await expect(template(CHART, args)).rejects.toThrow(/values don't meet the specifications of the schema/);
  });

  it('refuses two replicas without leader election', async () => {
    await expect(template(CHART, ['--set', 'leaderElection.enabled=false'])).rejects.toThrow(/needs leaderElection/);
  });
});
