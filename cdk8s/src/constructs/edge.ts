/**
 * The public edge: an Ingress sending everything to the gateway, which routes /api to the services
 * and the rest to the web shop — one place for TLS-facing headers, the CSP nonce and rate limits,
 * exactly as under `npm start`.
 */
import type { Construct } from 'constructs';
import type { IIngress } from 'kubernetes-models/networking.k8s.io/v1';
import type { StorefrontInput } from '../input.ts';
import { objectLabels, objectName } from '../names.ts';
import { APP_PORT } from '../topology.ts';
import { emit } from './emit.ts';

/** The URL reported in status: the ingress host, or the in-cluster gateway address. */
export function publicUrl(input: Pick<StorefrontInput, 'name' | 'namespace' | 'spec'>): string {
  const ingress = input.spec.ingress;
  if (ingress) return `${ingress.tlsSecretName ? 'https' : 'http'}://${ingress.host}/`;
  return `http://${objectName(input.name, 'gateway')}.${input.namespace}.svc:${APP_PORT}/`;
}

export function ingress(scope: Construct, input: StorefrontInput): void {
  const spec = input.spec.ingress;
  if (!spec) return;
  const backend = (service: string) => ({
    service: { name: objectName(input.name, service), port: { number: APP_PORT } },
  });
  const object: IIngress = {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name: input.name, labels: objectLabels(input.name, 'ingress', 'edge') },
    spec: {
      ...(spec.className ? { ingressClassName: spec.className } : {}),
      ...(spec.tlsSecretName ? { tls: [{ hosts: [spec.host], secretName: spec.tlsSecretName }] } : {}),
      rules: [
        {
          host: spec.host,
          http: {
            paths: [{ path: '/', pathType: 'Prefix', backend: backend('gateway') }],
          },
        },
      ],
    },
  };
  emit(scope, object);
}
