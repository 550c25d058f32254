import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, request } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * https://hooks.stripe.com (Stripe's 3-D Secure page) for a browser context, served by the local
 * fake of Stripe's API. `page.route` cannot do this: Playwright never routes the hop of a redirect,
 * and the shopper reaches this page by our checkout's 303. So the context gets this as its HTTP
 * proxy (`proxy: { server, bypass }`, `ignoreHTTPSErrors`): a CONNECT to hooks.stripe.com:443 is
 * answered by a TLS server with a throwaway self-signed certificate, whose requests are passed to
 * the fake as they are (redirects included). Any other host through the proxy is refused.
 */
export interface HooksProxy {
  /** For `BrowserContextOptions.proxy`: loopback (the shop) bypasses it. */
  readonly proxy: { server: string; bypass: string };
  close(): Promise<void>;
}

const HOST = 'hooks.stripe.com';

export async function startHooksProxy(fakeUrl: string): Promise<HooksProxy> {
  const dir = mkdtempSync(join(tmpdir(), 'sf-hooks-'));
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-days',
        '1',
        '-subj',
        `/CN=${HOST}`,
        '-addext',
        `subjectAltName=DNS:${HOST}`,
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`openssl could not make a certificate for ${HOST}`, { cause: err });
  }
  const key = readFileSync(join(dir, 'key.pem'));
  const cert = readFileSync(join(dir, 'cert.pem'));
  rmSync(dir, { recursive: true, force: true });

  const target = new URL(fakeUrl);
  const tls = createHttpsServer({ key, cert }, (req, res) => {
    const upstream = request(
      {
        host: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: target.host },
      },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  });

  const proxy = createHttpServer((_req, res) => res.writeHead(403).end('only CONNECT hooks.stripe.com:443'));
  proxy.on('connect', (req, socket, head) => {
    if (req.url !== `${HOST}:443`) {
      socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
    if (head.length > 0) socket.unshift(head);
    tls.emit('connection', socket);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const port = (proxy.address() as AddressInfo).port;

  return {
    proxy: { server: `http://127.0.0.1:${port}`, bypass: 'localhost,127.0.0.1' },
    async close() {
      proxy.closeAllConnections();
      tls.closeAllConnections();
      await new Promise<void>((resolve) => proxy.close(() => resolve()));
      await new Promise<void>((resolve) => tls.close(() => resolve()));
    },
  };
}
