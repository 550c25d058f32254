/**
 * Thrown by a handler for an event it can never process, so retrying is pointless. The inbox
 * transaction rolls back, the message is terminated at once (no retries burnt) and dead-lettered
 * with this message. A business refusal that others must hear about (out of stock) is not this:
 * write the failure event to the outbox and return normally, so it commits and the event is acked.
 */
export class EventRejected extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EventRejected';
  }
}
