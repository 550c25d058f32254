import pg from 'pg';

/** The part of a pg client a store needs: inside or outside a transaction, the same calls. */
export interface Queryable {
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(
    text: string,
    params?: readonly unknown[],
  ): Promise<pg.QueryResult<R>>;
}

export interface Db extends Queryable {
  readonly pool: pg.Pool;
  /** The service's schema; the pool's search_path points at it. */
  readonly schema: string;
  /** Runs fn in one transaction: COMMIT on success, ROLLBACK and rethrow on error. */
  tx<T>(
    fn: (client: pg.PoolClient) => Promise<T>,
    opts?: { isolation?: 'serializable' | 'repeatable read' },
  ): Promise<T>;
  /** SELECT 1 with a timeout, for readiness. */
  ping(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export interface DbOptions {
  readonly url: string;
  /** Schema to put first on the search_path; also the schema migrations write into. */
  readonly schema: string;
  readonly max?: number;
  readonly applicationName?: string;
  /** Per-statement timeout in ms, so a stuck query cannot hold a request forever. */
  readonly statementTimeoutMs?: number;
}

// Bigint columns (counts, sequences) come back as numbers when they fit; money never exceeds 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => {
  const n = Number(v);
  return Number.isSafeInteger(n) ? n : v;
});

export function quoteIdent(name: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`unsafe SQL identifier: ${name}`);
  return `"${name}"`;
}

export function createDb(opts: DbOptions): Db {
  quoteIdent(opts.schema);
  const pool = new pg.Pool({
    connectionString: opts.url,
    max: opts.max ?? 10,
    application_name: opts.applicationName ?? opts.schema,
    options: `-c search_path=${opts.schema} -c statement_timeout=${opts.statementTimeoutMs ?? 15_000}`,
    idleTimeoutMillis: 30_000,
    connectionTimeoutMillis: 5_000,
  });
  // An idle client losing its connection (database restart) must not crash the process.
  pool.on('error', () => {});
  // Nor a checked-out one between two queries (pg emits 'error' when no query is waiting for it,
  // e.g. pg_terminate_backend mid-transaction): the next query on it rejects, which callers handle.
  pool.on('connect', (client) => {
    client.on('error', () => {});
  });

  return {
    pool,
    schema: opts.schema,
    query: (text, params) => pool.query(text, params as unknown[]),
    async tx(fn, txOpts) {
      const client = await pool.connect();
      let broken: Error | undefined;
      try {
        await client.query(txOpts?.isolation ? `BEGIN ISOLATION LEVEL ${txOpts.isolation.toUpperCase()}` : 'BEGIN');
        const result = await fn(client);
        await client.query('COMMIT');
        return result;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => {});
        // A SQL error (five-character SQLSTATE) leaves the connection usable; anything else
        // (reset, terminated) means it is not, so it is destroyed instead of going back to the pool.
        const code = (err as { code?: unknown }).code;
        if (!(typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code))) broken = err as Error;
        throw err;
      } finally {
        client.release(broken);
      }
    },
    async ping(timeoutMs = 2_000) {
      await withTimeout(pool.query('SELECT 1'), timeoutMs, 'postgres');
    },
    close: () => pool.end(),
  };
}

export async function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      p,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
