/**
 * A small NetworkPolicy evaluator (networking.k8s.io/v1 semantics for podSelector,
 * namespaceSelector and port rules) so tests can ask "may A reach B on port P?" instead of
 * comparing YAML. ipBlock and `to`-less rules count as "anywhere".
 */
type Labels = Record<string, string>;
interface Selector {
  matchLabels?: Labels;
}
interface Peer {
  podSelector?: Selector;
  namespaceSelector?: Selector;
  ipBlock?: unknown;
}
interface Rule {
  from?: Peer[];
  to?: Peer[];
  ports?: { port?: number | string; protocol?: string }[];
}
interface Policy {
  kind: string;
  metadata: { namespace?: string };
  spec: { podSelector: Selector; policyTypes?: string[]; ingress?: Rule[]; egress?: Rule[] };
}

/** A pod in the cluster, or `internet` for anything outside it. */
export type Endpoint = { namespace: string; labels: Labels } | 'internet';

const matches = (selector: Selector | undefined, labels: Labels) =>
  Object.entries(selector?.matchLabels ?? {}).every(([k, v]) => labels[k] === v);

function peerMatches(peer: Peer, policyNamespace: string, target: Endpoint): boolean {
  if (peer.ipBlock) return target === 'internet';
  if (target === 'internet') return false;
  const nsLabels = { 'kubernetes.io/metadata.name': target.namespace };
  if (peer.namespaceSelector) {
    if (!matches(peer.namespaceSelector, nsLabels)) return false;
    return peer.podSelector ? matches(peer.podSelector, target.labels) : true;
  }
  return target.namespace === policyNamespace && matches(peer.podSelector, target.labels);
}

function ruleAllows(rule: Rule, peers: Peer[] | undefined, ns: string, other: Endpoint, port: number): boolean {
  const portOk = !rule.ports?.length || rule.ports.some((p) => p.port === port);
  const peerOk = !peers?.length || peers.some((peer) => peerMatches(peer, ns, other));
  return portOk && peerOk;
}

function direction(policies: Policy[], pod: Endpoint, type: 'Ingress' | 'Egress', other: Endpoint, port: number) {
  if (pod === 'internet') return true;
  const selecting = policies.filter(
    (p) =>
      p.kind === 'NetworkPolicy' &&
      (p.metadata.namespace ?? pod.namespace) === pod.namespace &&
      matches(p.spec.podSelector, pod.labels) &&
      (p.spec.policyTypes ?? ['Ingress']).includes(type),
  );
  if (selecting.length === 0) return true;
  return selecting.some((p) => {
    const rules = (type === 'Ingress' ? p.spec.ingress : p.spec.egress) ?? [];
    const ns = p.metadata.namespace ?? pod.namespace;
    return rules.some((r) => ruleAllows(r, type === 'Ingress' ? r.from : r.to, ns, other, port));
  });
}

export function mayConnect(objects: readonly unknown[], from: Endpoint, to: Endpoint, port: number): boolean {
  const policies = objects as Policy[];
  return direction(policies, from, 'Egress', to, port) && direction(policies, to, 'Ingress', from, port);
}
