import { SkipThrottle } from '@nestjs/throttler';
import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { WorkerPool } from '../live/sfu/worker-pool.js';
import { Public } from '../auth/decorators.js';

@ApiTags('operations')
@SkipThrottle()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly db: TypeOrmHealthIndicator,
    private readonly indicators: HealthIndicatorService,
    private readonly pool: WorkerPool,
  ) {}

  /**
   * 200 when the database answers within 3 s, 503 otherwise. `live`: the media workers, "degraded" (still 200,
   * status "degraded") while one that died is being restarted, "down" (503) while none is running.
   */
  @Get()
  @Public()
  @HealthCheck()
  check() {
    return this.health.check([() => this.db.pingCheck('database', { timeout: 3000 }), () => this.live()]);
  }

  private live() {
    const live = this.indicators.check('live');
    const { status, workers, down } = this.pool.health();
    if (status === 'degraded' && down.length >= workers) return live.down({ workers, down, message: 'live classes are unavailable: every media worker is down and being restarted' });
    if (status === 'degraded') return live.degraded({ workers, down, message: `live classes are degraded: ${down.length} of ${workers} media workers down, being restarted` });
    return live.up({ state: status, workers });
  }
}
