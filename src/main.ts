import 'reflect-metadata';
import { createApp } from './app.factory.js';
import { ConfigError, loadConfig } from './config/app.config.js';
import { createLogger } from './common/logger.js';
import { runMigrations } from './database/data-source.js';
import { EmbeddedPostgres } from './database/embedded-postgres.js';
import { resolve } from 'node:path';
import { UsersService } from './schools/users.service.js';
import { schoolNetworkAddresses } from './common/network.js';
import { httpsServerFor } from './web/tls-certificate.js';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`${e.message}\n`);
      process.exit(1);
    }
    throw e;
  }
  const logger = createLogger(config.LOG_LEVEL);

  let embedded: EmbeddedPostgres | undefined;
  let databaseUrl = config.DATABASE_URL;
  if (!databaseUrl) {
    embedded = new EmbeddedPostgres({
      dataDir: resolve(config.DATA_DIR, 'pg'),
      port: config.EMBEDDED_PG_PORT,
      database: 'tongke',
      log: (m) => m && logger.info({ context: 'EmbeddedPostgres' }, m),
    });
    databaseUrl = await embedded.start();
  }

  const applied = await runMigrations(databaseUrl);
  logger.info({ context: 'Migrations', applied }, applied.length ? `applied ${applied.length} migration(s)` : 'schema up to date');

  const secure = await httpsServerFor(config, logger);
  const https = secure?.server;
  const app = await createApp(config, databaseUrl, logger, https);
  if (config.ADMIN_EMAIL && config.ADMIN_PASSWORD) {
    const result = await app.get(UsersService).ensureAdmin(config.ADMIN_EMAIL, config.ADMIN_PASSWORD);
    logger.info({ context: 'Bootstrap' }, result === 'created' ? `created the first admin ${config.ADMIN_EMAIL}` : 'an admin exists already');
  } else if (!(await app.get(UsersService).hasAdmin())) {
    logger.warn({ context: 'Bootstrap' }, 'no admin account yet: set ADMIN_EMAIL and ADMIN_PASSWORD and restart to create one');
  }

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    logger.info({ context: 'Bootstrap', signal }, 'shutting down');
    https?.closeAllConnections();
    await Promise.all([app.close(), https && new Promise((r) => https.close(r))]);
    await embedded?.stop();
    logger.flush();
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));

  await app.listen(config.PORT, config.HOST);
  logger.info({ context: 'Bootstrap', url: `http://localhost:${config.PORT}` }, `Tongke is serving on port ${config.PORT}`);
  if (secure) {
    await new Promise<void>((ready, fail) => secure.server.once('error', fail).listen(config.HTTPS_PORT, config.HOST, ready));
    const port = config.HTTPS_PORT === 443 ? '' : `:${config.HTTPS_PORT}`;
    const urls = schoolNetworkAddresses().map((address) => `https://${address}${port}`);
    logger.info(
      { context: 'Bootstrap', urls, certificate: secure.tls.source },
      `HTTPS on port ${config.HTTPS_PORT}: classrooms open ${urls.join(' or ') || `https://localhost${port}`}` +
        (secure.tls.source === 'generated' ? ' (self-signed certificate: browsers ask once to accept it; see the README)' : ''),
    );
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`Tongke failed to start: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
