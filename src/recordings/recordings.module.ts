import { Module } from '@nestjs/common';
import { join, resolve } from 'node:path';
import { AppConfig, nodeIdOf } from '../config/app.config.js';
import { LiveModule } from '../live/live.module.js';
import { SchedulingModule } from '../scheduling/scheduling.module.js';
import { LiveRecorder } from './live-recorder.js';
import { RecordingRepository } from './recording.repository.js';
import { RecordingsController } from './recordings.controller.js';
import { RECORDING_OPTIONS, RecordingsService, type RecordingOptions } from './recordings.service.js';

export const recordingOptions = (c: AppConfig): RecordingOptions => ({
  dir: resolve(c.RECORDINGS_DIR ?? join(c.DATA_DIR, 'recordings')),
  retentionDays: c.RECORDING_RETENTION_DAYS,
  minFreeBytes: c.RECORDING_MIN_FREE_MB * 1024 * 1024,
  encode: { preset: c.RECORDING_X264_PRESET, segmentSeconds: c.RECORDING_SEGMENT_SECONDS, width: 1280, height: 720, fps: 25 },
  ffmpegPath: c.FFMPEG_PATH,
  nodeId: nodeIdOf(c),
  ffprobePath: c.FFPROBE_PATH,
});

@Module({
  imports: [SchedulingModule, LiveModule],
  controllers: [RecordingsController],
  providers: [RecordingRepository, RecordingsService, LiveRecorder, { provide: RECORDING_OPTIONS, inject: [AppConfig], useFactory: recordingOptions }],
  exports: [RecordingsService],
})
export class RecordingsModule {}
