import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { baseConfigShape, ConfigError, dataConfigShape, env, loadConfig } from './config.ts';

const schema = z.object({ ...baseConfigShape, ...dataConfigShape, ADMIN_TOKEN: z.string().min(16) });

describe('loadConfig', () => {
  it('applies defaults and coerces types', () => {
    const c = loadConfig(schema, { ADMIN_TOKEN: 'x'.repeat(16), PORT: '9000', MIGRATE_ON_START: 'false' });
    expect(c.PORT).toBe(9000);
    expect(c.LOG_LEVEL).toBe('info');
    expect(c.MIGRATE_ON_START).toBe(false);
    expect(c.EVENT_PREFIX).toBe('sf');
    expect(c.DATABASE_URL).toMatch(/^postgres:/);
  });

  it('fails naming every offending variable', () => {
    let error: unknown;
    try {
      loadConfig(schema, { PORT: 'eighty', DATABASE_URL: 'not a url', LOG_LEVEL: 'loud' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const names = (error as ConfigError).issues.map((i) => i.variable).sort();
    expect(names).toEqual(['ADMIN_TOKEN', 'DATABASE_URL', 'LOG_LEVEL', 'PORT']);
    expect((error as Error).message).toContain('PORT:');
    expect((error as Error).message).toContain('ADMIN_TOKEN:');
  });

  it('parses lists and booleans', () => {
    const s = z.object({ ORIGINS: env.list(), ON: env.bool(false) });
    expect(loadConfig(s, { ORIGINS: 'a, b,,c', ON: 'yes' })).toEqual({ ORIGINS: ['a', 'b', 'c'], ON: true });
    expect(loadConfig(s, {})).toEqual({ ORIGINS: [], ON: false });
  });
});
