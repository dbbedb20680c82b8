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

  it('takes how a class spans nodes (its pipes and the classrooms per node), or says what is wrong', () => {
    expect(loadConfig({})).toMatchObject({ LIVE_CLASSROOMS_PER_NODE: 400, MEDIASOUP_PIPE_PORTS: '44500-44599' });
    expect(loadConfig({ LIVE_CLASSROOMS_PER_NODE: '0', MEDIASOUP_PIPE_IP: '10.1.2.3', MEDIASOUP_PIPE_PORTS: '50000-50099' })).toMatchObject({
      LIVE_CLASSROOMS_PER_NODE: 0,
      MEDIASOUP_PIPE_IP: '10.1.2.3',
      MEDIASOUP_PIPE_PORTS: '50000-50099',
    });
    expect(() => loadConfig({ MEDIASOUP_PIPE_PORTS: '50099-50000' })).toThrow(/MEDIASOUP_PIPE_PORTS: 50099-50000 is not a range/);
    expect(() => loadConfig({ MEDIASOUP_PIPE_PORTS: '44500' })).toThrow(/MEDIASOUP_PIPE_PORTS must be a range/);
    expect(() => loadConfig({ MEDIASOUP_PIPE_IP: 'node-b' })).toThrow(/MEDIASOUP_PIPE_IP must be an IP address/);
    expect(() => loadConfig({ LIVE_CLASSROOMS_PER_NODE: '-1' })).toThrow(/LIVE_CLASSROOMS_PER_NODE/);
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
