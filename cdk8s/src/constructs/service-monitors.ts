/**
 * Prometheus Operator ServiceMonitors, one per service, when asked for. kube-prometheus-stack
 * ignores ServiceMonitors without its release label, hence the configurable labels.
 */
import type { Construct } from 'constructs';
import type { StorefrontInput } from '../input.ts';
import { objectLabels, objectName, selectorLabels } from '../names.ts';
import type { EnabledService } from '../topology.ts';
import { emit } from './emit.ts';

export function serviceMonitors(scope: Construct, input: StorefrontInput, enabled: readonly EnabledService[]): void {
  const monitor = input.spec.observability?.serviceMonitor;
  if (!monitor?.enabled) return;
  for (const { info } of enabled) {
    emit(scope, {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'ServiceMonitor',
      metadata: {
        name: objectName(input.name, info.name),
        labels: { ...objectLabels(input.name, info.name, 'service'), ...monitor.labels },
      },
      spec: {
        selector: { matchLabels: selectorLabels(input.name, info.name) },
        endpoints: [{ port: 'http', path: '/metrics', interval: monitor.interval }],
      },
    });
  }
}
