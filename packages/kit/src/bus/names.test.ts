import { describe, expect, it } from 'vitest';
import { catalogSubject, filterSubject, streamName } from './names.ts';

describe('names', () => {
  it.each([
    [['product.created.v1'], 'sf.product.created.v1'],
    [['product.created.v1', 'product.created.v1'], 'sf.product.created.v1'],
    [['product.created.v1', 'product.updated.v1'], 'sf.product.>'],
    [['product.created.v1', 'product.price-changed.v1', 'product.deleted.v1'], 'sf.product.>'],
    [['product.created.v1', 'category.changed.v1'], 'sf.>'],
    [['kit.ping.v1', 'kit.ping.v2'], 'sf.kit.ping.>'],
  ])('filters %j with %s (one filter_subject on nats-server 2.9)', (subjects, filter) => {
    expect(filterSubject('sf', subjects)).toBe(filter);
  });

  it('names the stream from the prefix and strips the prefix from wire subjects', () => {
    expect(streamName('sf')).toBe('SF_EVENTS');
    expect(catalogSubject('sf', 'sf.order.placed.v1')).toBe('order.placed.v1');
    expect(() => streamName('a.b')).toThrow('EVENT_PREFIX');
  });
});
