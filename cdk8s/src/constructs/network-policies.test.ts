import { describe, expect, it } from 'vitest';
import { selectorLabels } from '../names.ts';
import { buildStorefront } from '../storefront-chart.ts';
import { sampleInput } from '../test-fixtures.ts';
import { type Endpoint, mayConnect } from '../testing/reachability.ts';

const objects = buildStorefront(sampleInput());
const pod = (name: string): Endpoint => ({ namespace: 'storefront', labels: selectorLabels('shop', name) });
const ns = (namespace: string): Endpoint => ({ namespace, labels: { app: 'anything' } });

describe('NetworkPolicies of the sample store', () => {
  it.each([
    ['the ingress controller → gateway', ns('ingress-nginx'), pod('gateway'), 8080],
    ['web → gateway', pod('web'), pod('gateway'), 8080],
    ['gateway → web (every non-/api path)', pod('gateway'), pod('web'), 8080],
    ['gateway → catalog', pod('gateway'), pod('catalog'), 8080],
    ['catalog → identity (JWKS)', pod('catalog'), pod('identity'), 8080],
    ['cart → catalog (prices)', pod('cart'), pod('catalog'), 8080],
    ['orders → inventory', pod('orders'), pod('inventory'), 8080],
    ['catalog → postgres', pod('catalog'), pod('postgres'), 5432],
    ['catalog → redis', pod('catalog'), pod('redis'), 6379],
    ['orders → nats', pod('orders'), pod('nats'), 4222],
    ['nats → nats routes', pod('nats'), pod('nats'), 6222],
    ['migration Job → postgres', pod('migrate'), pod('postgres'), 5432],
    ['payments → Stripe', pod('payments'), 'internet', 443],
    ['Prometheus → catalog /metrics', ns('monitoring'), pod('catalog'), 8080],
    ['any pod → DNS', pod('cart'), { namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } }, 53],
  ] as const)('allows %s', (_name, from, to, port) => {
    expect(mayConnect(objects, from, to, port)).toBe(true);
  });

  it.each([
    ['another namespace → catalog', ns('default'), pod('catalog'), 8080],
    ['the ingress controller → catalog (only via the gateway)', ns('ingress-nginx'), pod('catalog'), 8080],
    ['the ingress controller → web (only via the gateway)', ns('ingress-nginx'), pod('web'), 8080],
    ['web → postgres', pod('web'), pod('postgres'), 5432],
    ['inventory → redis (it does not use Redis)', pod('inventory'), pod('redis'), 6379],
    ['catalog → payments', pod('catalog'), pod('payments'), 8080],
    ['cart → payments (not in HTTP_CALLS)', pod('cart'), pod('payments'), 8080],
    ['catalog → the internet', pod('catalog'), 'internet', 443],
    ['payments → the internet on another port', pod('payments'), 'internet', 22],
    ['gateway → postgres', pod('gateway'), pod('postgres'), 5432],
    ['gateway → crm (disabled)', pod('gateway'), pod('crm'), 8080],
    ['catalog → nats cluster port', pod('catalog'), pod('nats'), 6222],
  ] as const)('denies %s', (_name, from, to, port) => {
    expect(mayConnect(objects, from, to, port)).toBe(false);
  });

  it('opens everything when network policies are switched off', () => {
    const open = buildStorefront(sampleInput({ image: 'i', version: '1', networkPolicy: { enabled: false } }));
    expect(open.filter((o) => o.kind === 'NetworkPolicy')).toEqual([]);
    expect(mayConnect(open, pod('web'), pod('postgres'), 5432)).toBe(true);
  });
});
