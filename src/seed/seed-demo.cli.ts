import 'reflect-metadata';
import { resolve } from 'node:path';
import { DataSource } from 'typeorm';
import { ConfigError, loadConfig } from '../config/app.config.js';
import { dataSourceOptions, runMigrations } from '../database/data-source.js';
import { EmbeddedPostgres } from '../database/embedded-postgres.js';
import { DEMO_PASSWORD, seedDemo } from './seed-demo.js';

/** `npm run seed:demo`: the demo county, on DATABASE_URL or the embedded database `npm start` uses. */
async function main(): Promise<void> {
  const config = loadConfig();
  const say = (line: string) => process.stdout.write(`${line}\n`);
  let embedded: EmbeddedPostgres | undefined;
  let url = config.DATABASE_URL;
  if (!url) {
    embedded = new EmbeddedPostgres({ dataDir: resolve(config.DATA_DIR, 'pg'), port: config.EMBEDDED_PG_PORT, database: 'tongke', log: () => {} });
    say('[seed] starting the embedded PostgreSQL…');
    url = await embedded.start();
  }
  try {
    const applied = await runMigrations(url);
    if (applied.length) say(`[seed] applied ${applied.length} migration(s)`);
    const dataSource = await new DataSource(dataSourceOptions(url)).initialize();
    try {
      const started = Date.now();
      const report = await seedDemo(dataSource, config.DATA_DIR, (step) => say(`[seed] ${step}`));
      if (!report.seeded) {
        say('[seed] the demo county is already there; nothing to do');
        return;
      }
      say(
        `[seed] done in ${Date.now() - started} ms: ${report.schools} schools, ${report.classrooms} classrooms, ${report.teachers} teachers, ` +
          `${report.students} students, ${report.courses} courses, ${report.lessons} lessons, ${report.resources} resources, ${report.sessions} class sessions`,
      );
      say(`[seed] demo logins (password ${DEMO_PASSWORD}): teacher zhang.shuxue@demo.tongke.cn, classroom room1@demo.tongke.cn, student student1@demo.tongke.cn`);
    } finally {
      await dataSource.destroy();
    }
  } finally {
    await embedded?.stop();
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof ConfigError ? e.message : e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
