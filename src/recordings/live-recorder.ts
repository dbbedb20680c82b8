import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { ClassRegistry } from '../live/class-registry.js';
import type { LiveClass } from '../live/live-class.js';
import { RecordingsService } from './recordings.service.js';

/**
 * Records live classes by following their events: the recorder starts when a class opens (if its session is
 * recorded), follows the teacher's media, and closes its last segment while that media still exists as the class
 * ends; processing follows. The live module knows nothing of recordings.
 */
@Injectable()
export class LiveRecorder implements OnModuleInit {
  private readonly logger = new Logger(LiveRecorder.name);

  constructor(
    private readonly classes: ClassRegistry,
    private readonly recordings: RecordingsService,
  ) {}

  onModuleInit(): void {
    this.classes.onOpened((live) => this.follow(live));
  }

  private follow(live: LiveClass): void {
    // One recorder per class, on its home node: an edge only relays.
    if (live.homeNode !== null) return;
    const { sessionId } = live;
    live.recording = this.recordings
      .classStarted(sessionId, () => live.room.originRouter, () => live.teacherSources())
      .catch((e: Error) => {
        this.logger.error(`session ${sessionId}: the recorder could not start: ${e.message}`);
        return null;
      });
    live.events.on('teacherMediaChanged', () => this.recordings.teacherMedia(sessionId, live.teacherSources()));
    live.events.on('ending', () => this.recordings.classEnded(sessionId));
  }
}
