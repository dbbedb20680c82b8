import { ConfigError, loadConfig } from './app.config.js';

describe(loadConfig.name, () => {
  it('applies defaults when nothing is set', () => {
    const sut = loadConfig({});
    expect(sut.PORT).toBe(3000);
    expect(sut.DATABASE_URL).toBeUndefined();
    expect(sut.UPLOAD_MAX_BYTES).toBe(500 * 1024 * 1024);
    expect(sut.SERVE_CLIENT).toBe(true);
  });

  it('converts numbers and booleans', () => {
    const sut = loadConfig({ PORT: '8080', SERVE_CLIENT: 'false', UPLOAD_MAX_BYTES: '1024' });
    expect(sut).toMatchObject({ PORT: 8080, SERVE_CLIENT: false, UPLOAD_MAX_BYTES: 1024 });
  });

  it('takes the database pool size and the node id of one of several nodes, or says what is wrong with them', () => {
    expect(loadConfig({}).DB_POOL_SIZE).toBe(10);
    expect(loadConfig({ DB_POOL_SIZE: '30', NODE_ID: 'tongke-2:3000' })).toMatchObject({ DB_POOL_SIZE: 30, NODE_ID: 'tongke-2:3000' });
    expect(() => loadConfig({ DB_POOL_SIZE: '0' })).toThrow(/DB_POOL_SIZE/);
    expect(() => loadConfig({ NODE_ID: 'node a/b' })).toThrow(/NODE_ID must be 1 to 100 letters/);
  });

  it('names every bad variable at once', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', JWT_SECRET: 'short', ADMIN_EMAIL: 'a@b.cn' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const text = (error as ConfigError).problems.join('\n');
    expect(text).toMatch(/PORT/);
    expect(text).toMatch(/DATABASE_URL must be a postgres/);
    expect(text).toMatch(/JWT_SECRET must be at least 32/);
    expect(text).toMatch(/ADMIN_EMAIL \/ ADMIN_PASSWORD: set both/);
  });

  it('requires a JWT secret in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/JWT_SECRET: must be set in production/);
  });
});
