/**
 * Deny by default, then allow exactly the paths in topology.ts: callers → callees on the app port,
 * services → the data stores they use, the ingress controller → the public services, Prometheus →
 * /metrics, and DNS. Internet egress only where a provider is called (payments, notifications).
 */
import { Construct } from 'constructs';
import type {
  INetworkPolicy,
  INetworkPolicyEgressRule,
  INetworkPolicyIngressRule,
  INetworkPolicyPeer,
} from 'kubernetes-models/networking.k8s.io/v1';
import { postgresEndpoint } from '../data-endpoints.ts';
import type { StorefrontInput } from '../input.ts';
import { LABELS, objectLabels, objectName, selectorLabels } from '../names.ts';
import { APP_PORT, type EnabledService, httpCallees, INTERNET_EGRESS, PORTS, PUBLIC_SERVICES } from '../topology.ts';
import { emit } from './emit.ts';

type Port = { port: number; protocol: 'TCP' | 'UDP' };
const tcp = (port: number): Port => ({ port, protocol: 'TCP' });
const pods = (sf: string, name: string): INetworkPolicyPeer => ({
  podSelector: { matchLabels: selectorLabels(sf, name) },
});
const namespace = (name: string): INetworkPolicyPeer => ({
  namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': name } },
});
/** `to` omitted: any destination, on these ports only (external data stores, providers). */
const anywhere = (ports: number[]): INetworkPolicyEgressRule => ({ ports: ports.map(tcp) });

function otlpPort(endpoint: string | undefined): number | undefined {
  if (!endpoint) return undefined;
  const url = new URL(endpoint);
  return url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
}

export class NetworkPolicies extends Construct {
  private readonly input: StorefrontInput;

  constructor(scope: Construct, input: StorefrontInput, enabled: readonly EnabledService[]) {
    super(scope, 'network-policies');
    this.input = input;
    const sf = input.name;
    const settings = input.spec.networkPolicy;
    const instance = { matchLabels: { [LABELS.instance]: sf } };

    this.policy('default-deny', instance, [], []);
    this.policy(
      'allow-dns',
      instance,
      [],
      [
        {
          to: [{ ...namespace('kube-system'), podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
          ports: [{ port: 53, protocol: 'UDP' }, tcp(53)],
        },
      ],
    );

    const scrape = input.spec.observability?.serviceMonitor?.enabled;
    const otlp = otlpPort(input.spec.observability?.otlpEndpoint);
    for (const { info } of enabled) {
      const callers = enabled
        .filter((c) => httpCallees(c.info, enabled).includes(info.name))
        .map((c) => pods(sf, c.info.name));
      const from: INetworkPolicyPeer[] = [...callers];
      if ((PUBLIC_SERVICES as readonly string[]).includes(info.name))
        from.push(namespace(settings?.ingressNamespace ?? 'ingress-nginx'));
      if (scrape) from.push(namespace(settings?.monitoringNamespace ?? 'monitoring'));
      const ingress: INetworkPolicyIngressRule[] = from.length ? [{ from, ports: [tcp(APP_PORT)] }] : [];

      const egress: INetworkPolicyEgressRule[] = httpCallees(info, enabled).map((callee) => ({
        to: [pods(sf, callee)],
        ports: [tcp(APP_PORT)],
      }));
      if (info.database) egress.push(this.postgresEgress());
      if (info.redis) egress.push(this.storeEgress('redis', PORTS.redis));
      if (info.messaging) egress.push(this.storeEgress('nats', PORTS.nats));
      const internet = INTERNET_EGRESS[info.name];
      if (internet) egress.push(anywhere([...internet]));
      if (otlp) egress.push(anywhere([otlp]));
      this.policy(info.name, { matchLabels: selectorLabels(sf, info.name) }, ingress, egress);
    }

    this.dataStorePolicies(enabled);
    this.policy('migrate', { matchLabels: selectorLabels(sf, 'migrate') }, [], [this.postgresEgress()]);
  }

  private dataStorePolicies(enabled: readonly EnabledService[]): void {
    const sf = this.input.name;
    const users = (need: (s: EnabledService) => boolean) => enabled.filter(need).map((s) => pods(sf, s.info.name));
    const spec = this.input.spec;
    if (spec.postgres?.mode !== 'external') {
      const from = [...users((s) => s.info.database), pods(sf, 'migrate')];
      this.policy(
        'postgres',
        { matchLabels: selectorLabels(sf, 'postgres') },
        [{ from, ports: [tcp(PORTS.postgres)] }],
        [],
      );
    }
    if (spec.redis?.mode !== 'external') {
      const from = users((s) => s.info.redis);
      this.policy(
        'redis',
        { matchLabels: selectorLabels(sf, 'redis') },
        from.length ? [{ from, ports: [tcp(PORTS.redis)] }] : [],
        [],
      );
    }
    if (spec.nats?.mode !== 'external') {
      const peers = [pods(sf, 'nats')];
      const from = users((s) => s.info.messaging);
      const ingress: INetworkPolicyIngressRule[] = [{ from: peers, ports: [tcp(PORTS.natsCluster)] }];
      if (from.length) ingress.unshift({ from, ports: [tcp(PORTS.nats)] });
      this.policy('nats', { matchLabels: selectorLabels(sf, 'nats') }, ingress, [
        { to: peers, ports: [tcp(PORTS.natsCluster)] },
      ]);
    }
  }

  private postgresEgress(): INetworkPolicyEgressRule {
    if (this.input.spec.postgres?.mode === 'external') return anywhere([postgresEndpoint(this.input).port]);
    return { to: [pods(this.input.name, 'postgres')], ports: [tcp(PORTS.postgres)] };
  }

  private storeEgress(store: 'redis' | 'nats', port: number): INetworkPolicyEgressRule {
    if (this.input.spec[store]?.mode === 'external') return anywhere([port]);
    return { to: [pods(this.input.name, store)], ports: [tcp(port)] };
  }

  private policy(
    part: string,
    podSelector: { matchLabels: Record<string, string> },
    ingress: INetworkPolicyIngressRule[],
    egress: INetworkPolicyEgressRule[],
  ): void {
    const policy: INetworkPolicy = {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: {
        name: objectName(this.input.name, `netpol-${part}`),
        labels: objectLabels(this.input.name, part, 'edge'),
      },
      spec: { podSelector, policyTypes: ['Ingress', 'Egress'], ingress, egress },
    };
    emit(this, policy);
  }
}
