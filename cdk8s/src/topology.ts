/**
 * Who talks to whom. The NetworkPolicies, the service env and the data-plane wiring all read this
 * one table, so a new dependency between services is one line here.
 */
import { SERVICES, type ServiceInfo } from '@storefront/contracts';
import type { ServiceSettings, StorefrontSpec } from './api/spec.ts';

export const APP_PORT = 8080;
export const PORTS = { postgres: 5432, redis: 6379, nats: 4222, natsCluster: 6222, natsMonitor: 8222 } as const;

export interface EnabledService {
  readonly info: ServiceInfo;
  readonly settings: ServiceSettings;
}

/** The services this spec runs, in the contracts order (stable output). */
export function enabledServices(spec: StorefrontSpec): EnabledService[] {
  const out: EnabledService[] = [];
  for (const info of SERVICES) {
    const settings: ServiceSettings = spec.services?.[info.name] ?? {};
    if (info.optional && settings.enabled === false) continue;
    out.push({ info, settings });
  }
  return out;
}

/**
 * Backend-to-backend HTTP reads (state changes go over JetStream). Add a line when a service gains
 * an upstream: the NetworkPolicies allow exactly these calls.
 */
export const HTTP_CALLS: Readonly<Record<string, readonly string[]>> = {
  cart: ['catalog', 'inventory'],
  orders: ['cart', 'catalog', 'inventory', 'payments', 'fulfillment'],
  recommendations: ['catalog'],
};

/** Services each one calls over HTTP inside the cluster (only enabled ones). */
export function httpCallees(service: ServiceInfo, enabled: readonly EnabledService[]): string[] {
  const names = new Set(enabled.map((s) => s.info.name));
  // The gateway routes /api to the services and every other path to web.
  if (service.name === 'gateway')
    return enabled.filter((s) => s.info.routedByGateway || s.info.name === 'web').map((s) => s.info.name);
  if (service.name === 'web') return ['gateway'];
  // Every other service verifies tokens itself (defence in depth) with identity's JWKS.
  const callees = [...(service.name === 'identity' ? [] : ['identity']), ...(HTTP_CALLS[service.name] ?? [])];
  return callees.filter((c) => names.has(c));
}

/** Ports a service needs on the internet (payment and message providers). */
export const INTERNET_EGRESS: Readonly<Record<string, readonly number[]>> = {
  payments: [443],
  notifications: [443, 587],
};

/** Services reachable from the ingress controller: only the gateway (it forwards pages to web). */
export const PUBLIC_SERVICES = ['gateway'] as const;

export const needsPostgres = (enabled: readonly EnabledService[]) => enabled.some((s) => s.info.database);
export const needsRedis = (enabled: readonly EnabledService[]) => enabled.some((s) => s.info.redis);
export const needsNats = (enabled: readonly EnabledService[]) => enabled.some((s) => s.info.messaging);
