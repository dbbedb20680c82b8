import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { LiveModule } from '../live/live.module.js';
import { HealthController } from './health.controller.js';

@Module({
  imports: [TerminusModule.forRoot({ logger: false }), LiveModule],
  controllers: [HealthController],
})
export class HealthModule {}
