import { Module } from '@nestjs/common';
import { AppConfig } from '../config/app.config.js';
import { AuthModule } from '../auth/auth.module.js';
import { SchedulingModule } from '../scheduling/scheduling.module.js';
import { SchoolsModule } from '../schools/schools.module.js';
import { LiveGateway } from './live.gateway.js';
import { LIVE_START_WINDOW_MS, LiveService } from './live.service.js';
import { ClassAttendance } from './class-attendance.js';
import { ClassHomes } from './class-homes.js';
import { LiveNotifier } from './live-notifier.js';
import { ChatRepository } from './chat.repository.js';
import { LiveMetrics, MetricsController } from './live.metrics.js';
import { TURN_CREDENTIALS, turnCredentials } from './turn.js';
import { ClassRegistry, LIVE_RECONNECT_GRACE_MS } from './class-registry.js';
import { ClassPipes, CLASSROOMS_PER_NODE, PIPE_LISTEN } from './class-pipes.js';
import { NodeBus } from './node-bus.js';
import { pipeListen, SFU_OPTIONS, sfuOptions } from './sfu/sfu.options.js';
import { WorkerPool } from './sfu/worker-pool.js';

@Module({
  imports: [AuthModule, SchoolsModule, SchedulingModule],
  controllers: [MetricsController],
  providers: [
    LiveMetrics,
    { provide: TURN_CREDENTIALS, inject: [AppConfig], useFactory: (c: AppConfig) => turnCredentials(c.TURN_URLS, c.TURN_SECRET) },
    { provide: SFU_OPTIONS, inject: [AppConfig], useFactory: sfuOptions },
    { provide: LIVE_START_WINDOW_MS, inject: [AppConfig], useFactory: (c: AppConfig) => c.LIVE_START_WINDOW_MINUTES * 60_000 },
    { provide: LIVE_RECONNECT_GRACE_MS, inject: [AppConfig], useFactory: (c: AppConfig) => c.LIVE_RECONNECT_GRACE_SECONDS * 1000 },
    { provide: PIPE_LISTEN, inject: [AppConfig], useFactory: (c: AppConfig) => pipeListen(c) },
    { provide: CLASSROOMS_PER_NODE, inject: [AppConfig], useFactory: (c: AppConfig) => c.LIVE_CLASSROOMS_PER_NODE },
    WorkerPool,
    NodeBus,
    ClassPipes,
    ClassRegistry,
    ClassHomes,
    LiveNotifier,
    ClassAttendance,
    ChatRepository,
    LiveService,
    LiveGateway,
  ],
  exports: [WorkerPool, ClassRegistry],
})
export class LiveModule {}
