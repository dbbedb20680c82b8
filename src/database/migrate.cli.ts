import 'reflect-metadata';
import { resolve } from 'node:path';
import { ConfigError, loadConfig } from '../config/app.config.js';
import { runMigrations } from './data-source.js';
import { EmbeddedPostgres } from './embedded-postgres.js';

/** `npm run migration:run`: applies pending migrations (the server also does this before it serves). */
async function main(): Promise<void> {
  const config = loadConfig();
  let embedded: EmbeddedPostgres | undefined;
  let url = config.DATABASE_URL;
  if (!url) {
    embedded = new EmbeddedPostgres({ dataDir: resolve(config.DATA_DIR, 'pg'), port: config.EMBEDDED_PG_PORT, database: 'tongke', log: () => {} });
    url = await embedded.start();
  }
  try {
    const applied = await runMigrations(url);
    process.stdout.write(applied.length ? `applied: ${applied.join(', ')}\n` : 'schema up to date\n');
  } finally {
    await embedded?.stop();
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof ConfigError ? e.message : e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
