/** The CustomResourceDefinition for storefronts.storefront.dev, built from the zod schemas. */

import { toStructuralSchema } from './json-schema.ts';
import { StorefrontSpec } from './spec.ts';
import { StorefrontStatus } from './status.ts';

export const GROUP = 'storefront.dev';
export const VERSION = 'v1alpha1';
export const API_VERSION = `${GROUP}/${VERSION}`;
export const KIND = 'Storefront';
export const PLURAL = 'storefronts';
/** Object names are prefixed with the Storefront name and DNS labels stop at 63 characters. */
export const MAX_NAME_LENGTH = 40;

const readyCondition = '.status.conditions[?(@.type=="Ready")]';

export function storefrontCrd(): Record<string, unknown> {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${PLURAL}.${GROUP}` },
    spec: {
      group: GROUP,
      names: {
        kind: KIND,
        listKind: `${KIND}List`,
        plural: PLURAL,
        singular: 'storefront',
        shortNames: ['sf'],
        categories: ['storefront'],
      },
      scope: 'Namespaced',
      versions: [
        {
          name: VERSION,
          served: true,
          storage: true,
          subresources: { status: {} },
          additionalPrinterColumns: [
            { name: 'Version', type: 'string', jsonPath: '.status.version' },
            { name: 'Ready', type: 'string', jsonPath: `${readyCondition}.status` },
            { name: 'Services', type: 'string', jsonPath: '.status.readyServices' },
            { name: 'Reason', type: 'string', jsonPath: `${readyCondition}.reason`, priority: 1 },
            { name: 'URL', type: 'string', jsonPath: '.status.url' },
            { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
          ],
          schema: {
            openAPIV3Schema: {
              type: 'object',
              description: 'A whole store: services, data plane, ingress and observability.',
              required: ['spec'],
              properties: {
                apiVersion: { type: 'string' },
                kind: { type: 'string' },
                metadata: { type: 'object' },
                spec: toStructuralSchema(StorefrontSpec),
                status: toStructuralSchema(StorefrontStatus),
              },
              'x-kubernetes-validations': [
                {
                  rule: `size(self.metadata.name) <= ${MAX_NAME_LENGTH}`,
                  message: `metadata.name must be at most ${MAX_NAME_LENGTH} characters (it prefixes every object name)`,
                },
              ],
            },
          },
        },
      ],
    },
  };
}
