import type { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { eventually } from './eventually.js';

/**
 * For tests that force an interleaving with a transaction held open on `holder`: resolves once another connection
 * waits for a lock that `holder` holds (so the race the test means is really on), or once `pending`, the request
 * that should be waiting, has finished without waiting (then the test's own assertions on it say what went wrong).
 * `db` asks PostgreSQL, on connections of its own: `holder` is inside its transaction and would read a snapshot.
 */
export async function untilWaitingForLock(holder: Client, db: DataSource, pending: Promise<unknown>, what: string): Promise<void> {
  let finished = false;
  void pending.then(
    () => (finished = true),
    () => (finished = true),
  );
  const [{ pid }] = (await holder.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows;
  await eventually(
    async () => {
      if (finished) return true;
      const [{ n }] = (await db.query('SELECT count(*)::int AS n FROM pg_stat_activity WHERE $1 = ANY(pg_blocking_pids(pid))', [pid])) as { n: number }[];
      return n > 0;
    },
    { what: `${what} to wait for the lock held by connection ${pid}` },
  );
}
