import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { LiveClass } from './live-class.js';
import { Room } from './sfu/room.js';
import { SFU_OPTIONS, type SfuOptions } from './sfu/sfu.options.js';
import { WorkerPool } from './sfu/worker-pool.js';

/**
 * The live classes of this node, one per live session. Get-or-create goes through one promise per session,
 * so two simultaneous joins can't make two rooms.
 */
@Injectable()
export class ClassRegistry implements OnModuleDestroy {
  private readonly classes = new Map<number, Promise<LiveClass>>();

  constructor(
    private readonly pool: WorkerPool,
    @Inject(SFU_OPTIONS) private readonly options: SfuOptions,
  ) {}

  open(sessionId: number, teacherId: number, onCreate?: (c: LiveClass) => void): Promise<LiveClass> {
    let live = this.classes.get(sessionId);
    if (!live) {
      live = Room.create(this.pool, `session-${sessionId}`, this.options.maxConsumersPerRouter).then((room) => {
        const c = new LiveClass(sessionId, teacherId, room);
        onCreate?.(c);
        return c;
      });
      this.classes.set(sessionId, live);
      live.catch(() => this.classes.delete(sessionId));
    }
    return live;
  }

  get(sessionId: number): Promise<LiveClass> | undefined {
    return this.classes.get(sessionId);
  }

  async close(sessionId: number): Promise<void> {
    const live = this.classes.get(sessionId);
    this.classes.delete(sessionId);
    (await live?.catch(() => undefined))?.close();
  }

  /** The classes that opened successfully. */
  async all(): Promise<LiveClass[]> {
    const settled = await Promise.allSettled(this.classes.values());
    return settled.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  }

  get size(): number {
    return this.classes.size;
  }

  async onModuleDestroy(): Promise<void> {
    for (const id of [...this.classes.keys()]) await this.close(id);
  }
}
