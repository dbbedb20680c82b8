import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { Room } from './sfu/room.js';
import { SFU_OPTIONS, type SfuOptions } from './sfu/sfu.options.js';
import { WorkerPool } from './sfu/worker-pool.js';

/** The live rooms of this node, one per live session. Get-or-create goes through one promise per session, so
 * two simultaneous joins can't make two rooms. */
@Injectable()
export class RoomRegistry implements OnModuleDestroy {
  private readonly rooms = new Map<number, Promise<Room>>();

  constructor(
    private readonly pool: WorkerPool,
    @Inject(SFU_OPTIONS) private readonly options: SfuOptions,
  ) {}

  open(sessionId: number): Promise<Room> {
    let room = this.rooms.get(sessionId);
    if (!room) {
      room = Room.create(this.pool, `session-${sessionId}`, this.options.maxConsumersPerRouter);
      this.rooms.set(sessionId, room);
      room.catch(() => this.rooms.delete(sessionId));
    }
    return room;
  }

  has(sessionId: number): boolean {
    return this.rooms.has(sessionId);
  }

  async close(sessionId: number): Promise<void> {
    const room = this.rooms.get(sessionId);
    this.rooms.delete(sessionId);
    (await room?.catch(() => undefined))?.close();
  }

  get size(): number {
    return this.rooms.size;
  }

  async onModuleDestroy(): Promise<void> {
    for (const id of [...this.rooms.keys()]) await this.close(id);
  }
}
