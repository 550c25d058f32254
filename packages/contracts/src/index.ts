export * from './address.ts';
export * from './checkout-events.ts';
export * from './events.ts';
export * from './ids.ts';
export * from './money.ts';
export * from './services.ts';
