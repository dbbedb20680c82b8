import { Global, Inject, Injectable, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { createAdapter } from '@socket.io/redis-adapter';
import { createClient } from 'redis';
import type { ServerOptions } from 'socket.io';
import type { AppLogger } from '../common/logger.js';

// Commands fail at once while Redis is unreachable, instead of queueing until it is back.
const newClient = (url: string) => createClient({ url, socket: { connectTimeout: 5000 }, disableOfflineQueue: true });
export type RedisClient = ReturnType<typeof newClient>;

/** The link of this node to the others when several run (REDIS_URL), or null when it runs alone. */
export const REDIS_LINK = Symbol('REDIS_LINK');

export interface RedisLink {
  /** socket.io's Redis adapter: every broadcast (to a class, a classroom, an account) reaches every node's sockets. */
  adapter: ServerOptions['adapter'];
  /** For commands (the adapter publishes on it too). */
  client: RedisClient;
  /** The prefix of this install's keys and channels. */
  prefix: string;
  close(): Promise<void>;
}

/**
 * The link of this node to the others when several run (REDIS_URL): socket.io's Redis adapter over a publishing
 * and a subscribing connection. Fails at boot when Redis can't be reached: a node that silently served only its own
 * sockets would split every class whose members landed on different nodes. The channels and keys are named after
 * the database: nodes of one install share them, and two installs (or test databases) on one Redis never hear each
 * other's classes (their session ids overlap).
 */
export async function redisLink(url: string, databaseUrl: string, logger: AppLogger): Promise<RedisLink> {
  const pub = newClient(url);
  const sub = pub.duplicate();
  for (const [name, client] of [['publisher', pub], ['subscriber', sub]] as const) {
    client.on('error', (e: Error) => logger.error({ context: 'Redis', err: e }, `Redis ${name}: ${e.message}`));
  }
  await Promise.all([pub.connect(), sub.connect()]);
  logger.info({ context: 'Redis' }, 'live signaling shared with the other nodes through Redis');
  const prefix = `tongke:${busName(databaseUrl)}`;
  // The adapter publishes without handling a failure: with Redis gone, each broadcast would be an unhandled
  // rejection, and Node ends the process on those. The node goes on serving its own sockets instead (its /health
  // says 503, so the proxy sends it no new classes), and says so once a minute at most.
  let lastWarned = 0;
  const publishing = new Proxy(pub, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      if (property !== 'publish' && property !== 'PUBLISH') return value.bind(target);
      return (...args: unknown[]) =>
        (value as (...a: unknown[]) => Promise<unknown>).apply(target, args).catch((e: Error) => {
          if (Date.now() - lastWarned > 60_000) {
            lastWarned = Date.now();
            logger.warn({ context: 'Redis' }, `a live push could not reach the other nodes: ${e.message}`);
          }
          return 0;
        });
    },
  });
  return {
    adapter: createAdapter(publishing, sub, { key: `${prefix}:live` }),
    client: pub,
    prefix,
    async close() {
      // Pending commands get 2 s (Redis may be gone, and then they would wait for it forever); then the
      // connections are cut.
      const closed = Promise.allSettled([pub.close(), sub.close()]);
      await Promise.race([closed, new Promise((r) => setTimeout(r, 2000).unref())]);
      for (const client of [pub, sub]) {
        try {
          if (client.isOpen) client.destroy();
        } catch {
          // closed already
        }
      }
    },
  };
}

/** The install's name on the bus: its database's host, port and name (never its credentials). */
export function busName(databaseUrl: string): string {
  const u = new URL(databaseUrl);
  return `${u.hostname}:${u.port || 5432}/${decodeURIComponent(u.pathname.slice(1))}`;
}

/** Closes the link once the application has closed everything that uses it (the live socket's adapter last). */
@Injectable()
class RedisLinkCloser implements OnApplicationShutdown {
  constructor(@Inject(REDIS_LINK) private readonly link: RedisLink | null) {}

  async onApplicationShutdown(): Promise<void> {
    await this.link?.close();
  }
}

/** Provides REDIS_LINK to every module: the link when REDIS_URL is set, null otherwise. */
@Global()
@Module({})
export class RedisModule {
  static forRoot(url: string | undefined, databaseUrl: string, logger: AppLogger): DynamicModule {
    return {
      module: RedisModule,
      providers: [{ provide: REDIS_LINK, useFactory: () => (url ? redisLink(url, databaseUrl, logger) : null) }, RedisLinkCloser],
      exports: [REDIS_LINK],
    };
  }
}
