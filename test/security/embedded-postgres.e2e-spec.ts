import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, unlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { EmbeddedPostgres, passwordFileFor } from '../../src/database/embedded-postgres.js';

/**
 * The embedded PostgreSQL a newcomer's `npm start` runs (#11.11): a password of its own per install, an old data
 * folder's constant password replaced, and never another install's server.
 */
describe('embedded PostgreSQL credentials', () => {
  const roots: string[] = [];
  const running: EmbeddedPostgres[] = [];

  const install = () => {
    const root = mkdtempSync(join(tmpdir(), 'tongke-pg-'));
    chmodSync(root, 0o755); // the server runs as the postgres user when the tests run as root
    roots.push(root);
    return join(root, 'pg');
  };
  const freePort = () =>
    new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const { port } = s.address() as { port: number };
        s.close(() => resolve(port));
      });
    });
  const open = (dataDir: string, port: number) => {
    const pg = new EmbeddedPostgres({ dataDir, port, database: 'tongke', log: () => {} });
    running.push(pg);
    return pg;
  };
  const canLogIn = async (password: string, port: number) => {
    const client = new Client({ host: '127.0.0.1', port, user: 'tongke', password, database: 'postgres' });
    try {
      await client.connect();
      return true;
    } catch (e) {
      if ((e as { code?: string }).code === '28P01') return false;
      throw e;
    } finally {
      await client.end().catch(() => undefined);
    }
  };

  afterAll(async () => {
    for (const pg of running) await pg.stop().catch(() => undefined);
    for (const root of roots) rmSync(root, { recursive: true, force: true });
  });

  let dataDir: string;
  let port: number;

  it('gives a new install a generated password, readable by its owner only, and no built-in one', async () => {
    dataDir = install();
    port = await freePort();
    const url = await open(dataDir, port).start();
    const file = passwordFileFor(dataDir);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const password = readFileSync(file, 'utf8').trim();
    expect(password).toMatch(/^[0-9a-f]{48}$/);
    expect(url).toContain(`:${password}@127.0.0.1:${port}/`);
    expect(await canLogIn(password, port)).toBe(true);
    expect(await canLogIn('tongke-embedded', port)).toBe(false);
  });

  it('does not let a second install attach to the first one running on the same port', async () => {
    const other = install();
    await expect(open(other, port).start()).rejects.toThrow(
      new RegExp(`^Another PostgreSQL answers on 127\\.0\\.0\\.1:${port} \\(it refuses this install's password\\).*set EMBEDDED_PG_PORT`),
    );
    expect(existsSync(join(other, 'PG_VERSION'))).toBe(false);
  });

  it("replaces an old data folder's constant password at its next start", async () => {
    const first = running[0];
    const client = new Client({ connectionString: first.url });
    await client.connect();
    await client.query(`ALTER ROLE tongke PASSWORD 'tongke-embedded'`);
    await client.end();
    await first.stop();
    unlinkSync(passwordFileFor(dataDir)); // as a folder made before per-install passwords

    await open(dataDir, port).start();
    const password = readFileSync(passwordFileFor(dataDir), 'utf8').trim();
    expect(password).toMatch(/^[0-9a-f]{48}$/);
    expect(await canLogIn('tongke-embedded', port)).toBe(false);
    expect(await canLogIn(password, port)).toBe(true);
  });
});
