import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { Client } from 'pg';
import { runMigrations } from '../../src/database/data-source.js';
import { EmbeddedPostgres } from '../../src/database/embedded-postgres.js';

/**
 * Integration tests run on a real PostgreSQL: the server in DATABASE_URL (CI), or an embedded one in
 * test/.tmp/pg. The schema is migrated once per run into a template database; every test file gets a fresh
 * copy (CREATE DATABASE … TEMPLATE is a file copy, far faster than migrating again).
 */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

let embeddedUrl: string | undefined;

/** DATABASE_URL's server, or the embedded one (started here if it isn't running yet). */
async function serverUrl(): Promise<string> {
  if (process.env.DATABASE_URL) return process.env.DATABASE_URL;
  if (embeddedUrl) return embeddedUrl;
  const dataDir = process.env.TONGKE_TEST_EMBEDDED_DIR;
  if (!dataDir) throw new Error('The Jest global setup did not run (test/setup/global-setup.mjs)');
  mkdirSync(resolve(dataDir, '..'), { recursive: true });
  const embedded = new EmbeddedPostgres({ dataDir, port: Number(process.env.TONGKE_TEST_EMBEDDED_PORT), database: 'postgres', log: () => {} });
  const started = Date.now();
  embeddedUrl = await embedded.start();
  process.stdout.write(`[tests] embedded PostgreSQL ready in ${Date.now() - started} ms\n`);
  return embeddedUrl;
}

async function withAdmin<T>(fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: await serverUrl() });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** The migrated template, created by whichever test file asks first (under an advisory lock). */
async function ensureTemplate(template: string): Promise<void> {
  await withAdmin(async (client) => {
    await client.query('SELECT pg_advisory_lock(hashtext($1))', [template]);
    try {
      const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [template]);
      if (found.rowCount) return;
      await client.query(`CREATE DATABASE "${template}"`);
      try {
        await runMigrations(withDatabase(await serverUrl(), template));
      } catch (e) {
        await client.query(`DROP DATABASE IF EXISTS "${template}" WITH (FORCE)`);
        throw e;
      }
    } finally {
      await client.query('SELECT pg_advisory_unlock(hashtext($1))', [template]);
    }
  });
}

let counter = 0;

export async function createTestDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const template = process.env.TONGKE_TEST_TEMPLATE;
  if (!template) throw new Error('The Jest global setup did not run (test/setup/global-setup.mjs)');
  await ensureTemplate(template);
  const name = `${template.replace('_tpl_', '_t_')}_${++counter}_${Math.random().toString(36).slice(2, 8)}`;
  await withAdmin((c) => c.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`));
  return {
    url: withDatabase(await serverUrl(), name),
    drop: () => withAdmin((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => undefined),
  };
}

/** A database with nothing in it (no migration run), for tests of migrating itself. */
export async function createEmptyDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const template = process.env.TONGKE_TEST_TEMPLATE ?? 'tongke_test';
  const name = `${template.replace('_tpl_', '_e_')}_${++counter}_${Math.random().toString(36).slice(2, 8)}`;
  await withAdmin((c) => c.query(`CREATE DATABASE "${name}"`));
  return {
    url: withDatabase(await serverUrl(), name),
    drop: () => withAdmin((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => undefined),
  };
}
