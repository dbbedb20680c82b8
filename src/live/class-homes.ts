import { Inject, Injectable, Logger, ServiceUnavailableException, type OnModuleDestroy } from '@nestjs/common';
import { CLOCK, type Clock, type Timer } from '../common/clock.js';
import { AppConfig, nodeIdOf } from '../config/app.config.js';
import { REDIS_LINK, type RedisLink } from '../web/redis-adapter.js';

/** How long a node's hold on a class outlives its last renewal: a dead node's classes move on after this. */
export const HOME_HOLD_MS = 6000;
const RENEW_EVERY_MS = 2000;

/** Renews the hold only while it is still this node's (a Lua compare-and-set), and lets go of it the same way. */
const RENEW = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

/**
 * Where each live class lives when several nodes run (REDIS_URL): one home node holds its teacher's media, its
 * peers and its recorder, and no other node opens it. A node claims a class when it opens it (a Redis key with this
 * node's id and a short expiry, renewed every 2 s while the class is open here); another node asked to open it
 * refuses with 503 CLASS_ON_OTHER_NODE, which clients retry. When the home node dies its hold runs out within
 * HOME_HOLD_MS and the next node asked takes the class: the teacher's client publishes again there and the
 * classrooms follow. Which node a client reaches is the reverse proxy's choice: compose routes the live socket by
 * its session (README, "Several nodes"). Alone (no REDIS_URL), every claim is granted.
 */
@Injectable()
export class ClassHomes implements OnModuleDestroy {
  private readonly logger = new Logger(ClassHomes.name);
  readonly nodeId: string;
  private readonly held = new Set<number>();
  private renewer?: Timer;

  constructor(
    @Inject(REDIS_LINK) private readonly redis: RedisLink | null,
    config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    this.nodeId = nodeIdOf(config);
  }

  private key(sessionId: number): string {
    return `${this.redis!.prefix}:class:${sessionId}`;
  }

  /** Makes this node the class's home, or refuses because a living node is. */
  async claim(sessionId: number): Promise<void> {
    if (!this.redis) return;
    const { client } = this.redis;
    const key = this.key(sessionId);
    const taken = await client.set(key, this.nodeId, { condition: 'NX', expiration: { type: 'PX', value: HOME_HOLD_MS } });
    if (taken !== 'OK') {
      const owner = await client.get(key);
      if (owner !== this.nodeId) {
        throw new ServiceUnavailableException({
          code: 'CLASS_ON_OTHER_NODE',
          message: `Session ${sessionId} is live on another server (${owner ?? 'unknown'}); try again in a moment`,
        });
      }
    }
    this.held.add(sessionId);
    this.renewer ??= this.clock.setInterval(() => void this.renew(), RENEW_EVERY_MS);
  }

  /**
   * Where the class lives: null when this node is its home (claiming it when it is free and `mayClaim`: only the
   * teacher's joining opens a class's home, so classrooms reconnecting after a node died wait for her rather than
   * take the class to a node she doesn't reach), otherwise the home node's id.
   */
  async place(sessionId: number, mayClaim: boolean): Promise<string | null> {
    if (!this.redis) return null;
    if (mayClaim) {
      try {
        await this.claim(sessionId);
        return null;
      } catch (e) {
        if (!(e instanceof ServiceUnavailableException)) throw e;
      }
    }
    const owner = await this.owner(sessionId);
    if (owner === this.nodeId) {
      await this.claim(sessionId);
      return null;
    }
    if (owner === null) {
      throw new ServiceUnavailableException({
        code: 'CLASS_ON_OTHER_NODE',
        message: `Session ${sessionId} is waiting for its teacher to reconnect; try again in a moment`,
      });
    }
    return owner;
  }

  /** The node holding the class now, if any. */
  async owner(sessionId: number): Promise<string | null> {
    return this.redis ? this.redis.client.get(this.key(sessionId)) : null;
  }

  async release(sessionId: number): Promise<void> {
    if (!this.redis || !this.held.delete(sessionId)) return;
    await this.redis.client.eval(RELEASE, { keys: [this.key(sessionId)], arguments: [this.nodeId] }).catch((e: Error) => this.logger.warn(`release ${sessionId}: ${e.message}`));
  }

  private async renew(): Promise<void> {
    for (const sessionId of this.held) {
      const kept = await this.redis!.client.eval(RENEW, { keys: [this.key(sessionId)], arguments: [this.nodeId, String(HOME_HOLD_MS)] }).catch((e: Error) => {
        this.logger.warn(`renewing the hold on session ${sessionId}: ${e.message}`);
        return 1;
      });
      if (kept === 0) this.logger.error(`session ${sessionId}: another node took this class (this node's hold had run out)`);
    }
  }

  onModuleDestroy(): void {
    this.clock.clearInterval(this.renewer);
  }
}
