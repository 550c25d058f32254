export { createRoute, z } from '@hono/zod-openapi';
export * from './auth/index.ts';
export { type Broadcast, type BroadcastHandler, connectBroadcast } from './broadcast.ts';
export {
  type BusOptions,
  busMigrationsDir,
  connectBus,
  type DeadLetter,
  EventRejected,
  listDeadLetters,
  redrive,
  runRedriveCli,
} from './bus/index.ts';
export type { Bus, EventContext, EventHandler, Outbox, SubscribeOptions } from './bus/types.ts';
export * from './config.ts';
export * from './db/index.ts';
export * from './errors.ts';
export { createFaults, type Faults } from './faults.ts';
export type { HealthOptions, ReadinessCheck, ReadinessChecks, ReadinessEntry } from './http/health.ts';
export { type InternalPathsOptions, internalOnly, isPrivateAddress } from './http/internal-only.ts';
export { PROBLEM_JSON, type Problem, problem, problemResponse, toProblem } from './http/problem.ts';
export { routeLabel } from './http/route-label.ts';
export { createRouter, type KitEnv, type KitVariables } from './http/router.ts';
export { createLogger, type Logger, scrubText } from './log.ts';
export { createMetrics, LATENCY_BUCKETS, type Metrics } from './metrics.ts';
export { createRedis, pingRedis, type Redis, type RedisOptions } from './redis.ts';
export { type BaseRuntime, createRuntime, type Runtime, type RuntimeNeeds, type RuntimeOptions } from './runtime.ts';
export { type AppOptions, buildApp, type KitApp, type Running, type ServeOptions, serve } from './serve.ts';
export { startTracing, type TracingHandle, type TracingOptions } from './tracing/setup.ts';
export { SpanKind, tracer, tracingEnabled, withSpan } from './tracing/tracer.ts';
