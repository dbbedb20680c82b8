import { createAdapter } from '@socket.io/redis-adapter';
import { createClient } from 'redis';
import type { ServerOptions } from 'socket.io';
import type { AppLogger } from '../common/logger.js';

export interface RedisLink {
  /** socket.io's Redis adapter: every broadcast (to a class, a classroom, an account) reaches every node's sockets. */
  adapter: ServerOptions['adapter'];
  close(): Promise<void>;
}

/**
 * The link of this node to the others when several run (REDIS_URL): socket.io's Redis adapter over a publishing
 * and a subscribing connection. Fails at boot when Redis can't be reached: a node that silently served only its own
 * sockets would split every class whose members landed on different nodes. The channels are named after the
 * database: nodes of one install share them, and two installs (or test databases) on one Redis never hear each
 * other's classes (their session ids overlap).
 */
export async function redisLink(url: string, databaseUrl: string, logger: AppLogger): Promise<RedisLink> {
  const pub = createClient({ url, socket: { connectTimeout: 5000 } });
  const sub = pub.duplicate();
  for (const [name, client] of [['publisher', pub], ['subscriber', sub]] as const) {
    client.on('error', (e: Error) => logger.error({ context: 'Redis', err: e }, `Redis ${name}: ${e.message}`));
  }
  await Promise.all([pub.connect(), sub.connect()]);
  logger.info({ context: 'Redis' }, 'live signaling shared with the other nodes through Redis');
  return {
    adapter: createAdapter(pub, sub, { key: `tongke:${busName(databaseUrl)}` }),
    async close() {
      await Promise.allSettled([pub.close(), sub.close()]);
    },
  };
}

/** The install's name on the bus: its database's host, port and name (never its credentials). */
export function busName(databaseUrl: string): string {
  const u = new URL(databaseUrl);
  return `${u.hostname}:${u.port || 5432}/${decodeURIComponent(u.pathname.slice(1))}`;
}
