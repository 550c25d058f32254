/**
 * desired = f(input): every object a Storefront needs, in apply order. Pure and deterministic: a
 * fresh cdk8s App per call, explicit names, no hashes, nothing read from the clock or the cluster.
 */
import { App, Chart } from 'cdk8s';
import { StorefrontConfig } from './constructs/config.ts';
import { ingress } from './constructs/edge.ts';
import type { KubeObject } from './constructs/emit.ts';
import { migrationJob } from './constructs/migration-job.ts';
import { ManagedNats } from './constructs/nats.ts';
import { NetworkPolicies } from './constructs/network-policies.ts';
import { ManagedPostgres } from './constructs/postgres.ts';
import { ManagedRedis } from './constructs/redis.ts';
import { serviceMonitors } from './constructs/service-monitors.ts';
import { ServiceWorkload } from './constructs/service-workload.ts';
import type { StorefrontInput } from './input.ts';
import { enabledServices, needsNats, needsPostgres, needsRedis } from './topology.ts';

export function buildStorefront(input: StorefrontInput): KubeObject[] {
  const app = new App({ outdir: '/nonexistent' });
  const chart = new Chart(app, input.name, { namespace: input.namespace, disableResourceNameHashes: true });
  const enabled = enabledServices(input.spec);

  new StorefrontConfig(chart, 'config', input);
  if (input.spec.networkPolicy?.enabled !== false) new NetworkPolicies(chart, input, enabled);
  if (needsPostgres(enabled) && input.spec.postgres?.mode !== 'external') new ManagedPostgres(chart, input);
  if (needsRedis(enabled) && input.spec.redis?.mode !== 'external') new ManagedRedis(chart, input);
  if (needsNats(enabled) && input.spec.nats?.mode !== 'external') new ManagedNats(chart, input);
  if (input.gate.migrate) migrationJob(chart, input);
  const release = input.gate.services;
  if (release) {
    for (const service of enabled) new ServiceWorkload(chart, input, service, enabled, release);
    ingress(chart, input);
    serviceMonitors(chart, input, enabled);
  }
  return chart.toJson() as KubeObject[];
}
