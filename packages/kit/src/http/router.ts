import { OpenAPIHono } from '@hono/zod-openapi';
import type { Logger } from 'pino';
import { ValidationFailed } from '../errors.ts';
import { fieldErrors } from './problem.ts';

/** Request-scoped values every handler can read with `c.get(...)`. */
export type KitVariables = {
  requestId: string;
  log: Logger;
};

export type KitEnv = { Variables: KitVariables };

const SOURCE: Record<string, string> = {
  json: 'body',
  form: 'body',
  query: 'query',
  param: 'path',
  header: 'header',
  cookie: 'cookie',
};

/**
 * The router every service builds its routes on. Routes are declared with `createRoute` and zod
 * schemas; those schemas validate the request and generate `/openapi.json`. A failed validation
 * becomes a 422 problem with field paths — no service writes its own validation code.
 */
export function createRouter<E extends KitEnv = KitEnv>(): OpenAPIHono<E> {
  return new OpenAPIHono<E>({
    defaultHook: (result) => {
      if (!result.success) {
        const source = SOURCE[result.target] ?? result.target;
        const errors = fieldErrors(result.error, source);
        const first = errors[0];
        throw new ValidationFailed(
          first
            ? `${first.path}: ${first.message}${errors.length > 1 ? ` (and ${errors.length - 1} more)` : ''}`
            : 'invalid request',
          errors,
        );
      }
    },
  });
}
