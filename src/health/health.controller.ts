import { SkipThrottle } from '@nestjs/throttler';
import { Controller, Get, Inject } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { WorkerPool } from '../live/sfu/worker-pool.js';
import { Public } from '../auth/decorators.js';
import { REDIS_LINK, type RedisLink } from '../web/redis-adapter.js';

@ApiTags('operations')
@SkipThrottle()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly db: TypeOrmHealthIndicator,
    private readonly indicators: HealthIndicatorService,
    private readonly pool: WorkerPool,
    @Inject(REDIS_LINK) private readonly redis: RedisLink | null,
  ) {}

  /**
   * 200 when the database answers within 3 s, 503 otherwise. `live`: the media workers, "degraded" (still 200,
   * status "degraded") while one that died is being restarted, "down" (503) while none is running. `redis`, with
   * several nodes (REDIS_URL): this node's link to the others; without it (503) the reverse proxy sends this node no
   * live classes, since it could neither claim one nor reach the sockets on other nodes.
   */
  @Get()
  @Public()
  @HealthCheck()
  check() {
    return this.health.check([() => this.db.pingCheck('database', { timeout: 3000 }), () => this.live(), ...(this.redis ? [() => this.redisCheck()] : [])]);
  }

  private async redisCheck() {
    const indicator = this.indicators.check('redis');
    try {
      const ping = this.redis!.client.ping();
      ping.catch(() => undefined); // answered by the race below; a late failure is not an unhandled one
      const answer = await Promise.race([ping, new Promise<never>((_, fail) => setTimeout(() => fail(new Error('no answer within 2 s')), 2000).unref())]);
      return indicator.up({ answer });
    } catch (e) {
      return indicator.down({ message: `Redis: ${(e as Error).message}` });
    }
  }

  private live() {
    const live = this.indicators.check('live');
    const { status, workers, down } = this.pool.health();
    if (status === 'degraded' && down.length >= workers) return live.down({ workers, down, message: 'live classes are unavailable: every media worker is down and being restarted' });
    if (status === 'degraded') return live.degraded({ workers, down, message: `live classes are degraded: ${down.length} of ${workers} media workers down, being restarted` });
    return live.up({ state: status, workers });
  }
}
