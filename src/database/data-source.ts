import { DataSource, DataSourceOptions } from 'typeorm';
import { Foundation1795889500000 } from '../../migrations/1795889500000-Foundation.js';
import { Scheduling1795893000000 } from '../../migrations/1795893000000-Scheduling.js';
import { LiveChat1795896000000 } from '../../migrations/1795896000000-LiveChat.js';
import { Recordings1795902000000 } from '../../migrations/1795902000000-Recordings.js';
import { TokenVersion1795910000000 } from '../../migrations/1795910000000-TokenVersion.js';
import { BookingLock1795911000000 } from '../../migrations/1795911000000-BookingLock.js';
import { CourseArchive1795912000000 } from '../../migrations/1795912000000-CourseArchive.js';
import { UserTimezone1795913000000 } from '../../migrations/1795913000000-UserTimezone.js';

/** Listed explicitly (not globbed) so the same list works compiled, under Jest and in the seed script. */
export const MIGRATIONS = [Foundation1795889500000, Scheduling1795893000000, LiveChat1795896000000, Recordings1795902000000, TokenVersion1795910000000, BookingLock1795911000000, CourseArchive1795912000000, UserTimezone1795913000000];

export function dataSourceOptions(url: string, poolSize = 10): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    // No entities: every module writes its SQL by hand (DataSource.query), so this folder knows no feature.
    migrations: MIGRATIONS,
    migrationsTableName: 'migration',
    synchronize: false,
    migrationsRun: false,
    // Connections to PostgreSQL (DB_POOL_SIZE): a node's requests wait for one when all are busy.
    extra: { max: poolSize },
  };
}

/** The advisory lock that keeps nodes starting together from migrating the same database at once. */
const MIGRATION_LOCK = 1795913;

/**
 * Applies pending migrations, each in its own transaction; returns the names applied. Several nodes starting at
 * once take turns (a PostgreSQL advisory lock): the first migrates, the others then find the schema up to date.
 */
export async function runMigrations(url: string): Promise<string[]> {
  const dataSource = new DataSource({ ...dataSourceOptions(url, 2), migrationsTransactionMode: 'each' });
  await dataSource.initialize();
  const lock = dataSource.createQueryRunner();
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    const applied = await dataSource.runMigrations();
    return applied.map((m) => m.name);
  } finally {
    await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    await lock.release();
    await dataSource.destroy();
  }
}
