import pg from 'pg';
import type { Logger } from 'pino';

export interface Listener {
  close(): Promise<void>;
}

/**
 * A dedicated connection LISTENing on one channel (a pooled connection cannot: it is handed to
 * others between queries). When it drops (database restart) it reconnects with backoff and fires
 * `onNotify` once connected again, since notifications sent while it was away are lost.
 */
export function listen(config: pg.ClientConfig, channel: string, log: Logger, onNotify: () => void): Listener {
  let closed = false;
  let client: pg.Client | undefined;
  let retry: NodeJS.Timeout | undefined;
  let delay = 250;

  function reconnectLater() {
    if (closed || retry) return;
    retry = setTimeout(() => {
      retry = undefined;
      void open();
    }, delay);
    delay = Math.min(delay * 2, 5_000);
  }

  async function open() {
    const c = new pg.Client({ ...config, keepAlive: true });
    client = c;
    c.on('notification', () => onNotify());
    c.on('error', (err) => {
      log.warn({ err: err.message, channel }, 'outbox LISTEN connection failed; reconnecting');
      c.end().catch(() => {});
      if (client === c) reconnectLater();
    });
    c.on('end', () => {
      if (client === c) reconnectLater();
    });
    try {
      await c.connect();
      await c.query(`LISTEN "${channel}"`);
      if (closed) return void c.end().catch(() => {});
      delay = 250;
      onNotify();
    } catch (err) {
      log.warn({ err: (err as Error).message, channel }, 'outbox LISTEN failed; relay polls until it is back');
      c.end().catch(() => {});
      if (client === c) reconnectLater();
    }
  }

  void open();
  return {
    async close() {
      closed = true;
      clearTimeout(retry);
      const c = client;
      client = undefined;
      await c?.end().catch(() => {});
    },
  };
}
