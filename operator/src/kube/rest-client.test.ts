import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RestClient } from './rest-client.ts';
import { ApiError, type KubeObject } from './types.ts';

/** A stand-in API server on loopback (what `kubectl proxy` serves): records requests, answers a few paths. */
const seen: { method: string; url: string; contentType: string | undefined; body: string }[] = [];
let server: Server;
let client: RestClient;

const read = (req: IncomingMessage) =>
  new Promise<string>((resolve) => {
    let body = '';
    req.on('data', (c: Buffer) => {
      body += c.toString();
    });
    req.on('end', () => resolve(body));
  });

beforeAll(async () => {
  server = createServer(async (req, res) => {
    const body = await read(req);
    seen.push({ method: req.method ?? '', url: req.url ?? '', contentType: req.headers['content-type'], body });
    const json = (status: number, value: unknown) =>
      res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(value));
    if (req.url?.startsWith('/apis/apps/v1/namespaces/shop/deployments?watch=true')) {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.write(`${JSON.stringify({ type: 'ADDED', object: { metadata: { name: 'shop-cart' } } })}\n`);
      res.write(`${JSON.stringify({ type: 'ERROR', object: { code: 410, reason: 'Expired', message: 'too old' } })}\n`);
      return res.end();
    }
    if (req.url === '/api/v1/namespaces/shop/configmaps/missing')
      return json(404, { kind: 'Status', reason: 'NotFound', message: 'not found' });
    if (req.url?.startsWith('/apis/monitoring.coreos.com/'))
      return json(404, { kind: 'Status', reason: 'NotFound', message: 'no such kind' });
    if (req.url?.startsWith('/apis/apps/v1/namespaces/shop/deployments?')) {
      return json(200, { metadata: { resourceVersion: '42' }, items: [{ metadata: { name: 'shop-cart' } }] });
    }
    if (req.method === 'PUT')
      return json(409, { kind: 'Status', reason: 'Conflict', message: 'the object has been modified' });
    json(200, body ? JSON.parse(body) : {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const config = new KubeConfig();
  config.loadFromOptions({
    clusters: [
      { name: 'proxy', server: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, skipTLSVerify: true },
    ],
    users: [{ name: 'me' }],
    contexts: [{ name: 'proxy', cluster: 'proxy', user: 'me' }],
    currentContext: 'proxy',
  });
  client = new RestClient(config);
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const deployment: KubeObject = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'shop-cart', namespace: 'shop' },
  spec: { template: { spec: { containers: [{ name: 'cart', image: 'i' }] } } },
};

describe('RestClient', () => {
  it('server-side applies with the apply content type, field manager, force and strict validation', async () => {
    await client.apply(deployment, 'storefront-operator');
    const request = seen.at(-1);
    expect(request).toMatchObject({
      method: 'PATCH',
      url: '/apis/apps/v1/namespaces/shop/deployments/shop-cart?fieldManager=storefront-operator&force=true&fieldValidation=Strict',
      contentType: 'application/apply-patch+yaml',
    });
    expect(JSON.parse(request?.body ?? '')).toEqual(deployment);
  });

  it('sends NetworkPolicy `from` verbatim (the typed models would drop it)', async () => {
    const policy = {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'p', namespace: 'shop' },
      spec: { podSelector: {}, ingress: [{ from: [{ podSelector: { matchLabels: { a: 'b' } } }] }] },
    };
    await client.apply(policy, 'storefront-operator');
    expect(JSON.parse(seen.at(-1)?.body ?? '').spec.ingress[0].from).toEqual([
      { podSelector: { matchLabels: { a: 'b' } } },
    ]);
  });

  it('applies status through the status subresource of core and custom kinds', async () => {
    await client.applyStatus(
      {
        apiVersion: 'storefront.dev/v1alpha1',
        kind: 'Storefront',
        metadata: { name: 'shop', namespace: 'shop' },
        status: {},
      },
      'op',
    );
    expect(seen.at(-1)?.url).toBe(
      '/apis/storefront.dev/v1alpha1/namespaces/shop/storefronts/shop/status?fieldManager=op&force=true',
    );
  });

  it('maps 404 to undefined / an empty list, and other failures to ApiError with the Status reason', async () => {
    await expect(
      client.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'shop', name: 'missing' }),
    ).resolves.toBeUndefined();
    await expect(client.list('monitoring.coreos.com/v1', 'ServiceMonitor', { namespace: 'shop' })).resolves.toEqual({
      items: [],
      resourceVersion: '0',
    });
    const error = await client
      .replace({ ...deployment, metadata: { ...deployment.metadata, resourceVersion: '1' } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ code: 409, reason: 'Conflict' });
  });

  it('lists with a label selector and restores apiVersion/kind on items', async () => {
    const list = await client.list('apps/v1', 'Deployment', { namespace: 'shop', labelSelector: 'a=b,c=d' });
    expect(seen.at(-1)?.url).toBe('/apis/apps/v1/namespaces/shop/deployments?labelSelector=a%3Db%2Cc%3Dd');
    expect(list).toEqual({
      resourceVersion: '42',
      items: [{ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'shop-cart' } }],
    });
  });

  it('streams watch events as raw JSON and ends the watch with 410 on an ERROR event', async () => {
    const events: string[] = [];
    const ended = new Promise<unknown>((resolve) => {
      void client.watch(
        'apps/v1',
        'Deployment',
        { namespace: 'shop', resourceVersion: '42' },
        (type, o) => events.push(`${type}:${o.kind}/${o.metadata.name}`),
        resolve,
      );
    });
    const error = await ended;
    expect(events).toEqual(['ADDED:Deployment/shop-cart']);
    expect(error).toMatchObject({ code: 410 });
  });
});
