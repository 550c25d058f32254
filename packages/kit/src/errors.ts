/**
 * One error base for the whole platform. A handler throws a DomainError subclass; the kit turns it
 * into RFC 9457 problem+json in exactly one place (http/problem.ts).
 */
export interface ProblemFields {
  /** Extra members of the problem document, e.g. `errors` for validation or `sku` for stock. */
  readonly extensions?: Record<string, unknown>;
}

export class DomainError extends Error {
  readonly status: number = 400;
  readonly code: string = 'bad_request';
  readonly title: string = 'Bad request';
  readonly extensions: Record<string, unknown>;

  constructor(message: string, fields: ProblemFields = {}) {
    super(message);
    this.name = new.target.name;
    this.extensions = fields.extensions ?? {};
  }
}

export class BadRequest extends DomainError {}

export class ValidationFailed extends DomainError {
  override readonly status = 422;
  override readonly code = 'validation_failed';
  override readonly title = 'Validation failed';
  constructor(message: string, errors: readonly FieldError[]) {
    super(message, { extensions: { errors } });
  }
}

export interface FieldError {
  /** JSON-pointer-like dotted path, prefixed by where the value came from: `body.items.0.qty`. */
  readonly path: string;
  readonly message: string;
}

export class Unauthorized extends DomainError {
  override readonly status = 401;
  override readonly code = 'unauthorized';
  override readonly title = 'Authentication required';
}

export class Forbidden extends DomainError {
  override readonly status = 403;
  override readonly code = 'forbidden';
  override readonly title = 'Forbidden';
}

export class NotFound extends DomainError {
  override readonly status = 404;
  override readonly code = 'not_found';
  override readonly title = 'Not found';
}

export class Conflict extends DomainError {
  override readonly status = 409;
  override readonly code = 'conflict';
  override readonly title = 'Conflict';
}

export class PreconditionFailed extends DomainError {
  override readonly status = 412;
  override readonly code = 'precondition_failed';
  override readonly title = 'Precondition failed';
}

export class TooManyRequests extends DomainError {
  override readonly status = 429;
  override readonly code = 'rate_limited';
  override readonly title = 'Too many requests';
}

export class ServiceUnavailable extends DomainError {
  override readonly status = 503;
  override readonly code = 'unavailable';
  override readonly title = 'Service unavailable';
}

/** A fault injected on purpose by a fault flag (chaos tests). */
export class InjectedFault extends DomainError {
  override readonly status: number;
  override readonly code = 'injected_fault';
  override readonly title = 'Injected fault';
  constructor(where: string, status = 503) {
    super(`fault injected at ${where}`);
    this.status = status;
  }
}
