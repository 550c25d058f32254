export * from './chart-values.ts';
export * from './crd.ts';
export * from './json-schema.ts';
export * from './spec.ts';
export * from './status.ts';
