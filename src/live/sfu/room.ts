import { EventEmitter } from 'node:events';
import type { types } from 'mediasoup';
import { MEDIA_CODECS } from './media-codecs.js';
import type { WorkerPool, WorkerSlot } from './worker-pool.js';

export interface RoomRouter {
  slotIndex: number;
  router: types.Router;
  consumers: number;
  /** Consumers promised to peers that joined but haven't consumed yet (a join storm consumes later). */
  reserved: number;
}

interface RoomEvents {
  /** Routers on a dead worker are gone with their transports: their peers must reconnect. */
  routersLost: [lost: RoomRouter[], originLost: boolean];
}

/**
 * The media side of one live class. The teacher's producers live on the origin router; classrooms consume
 * from the first router with room (at most `maxConsumersPerRouter` consumers each). When every router is
 * full the room opens one more on the least loaded other worker and pipes every producer to it
 * (`pipeToRouter`), so one class can use every core. Closing the room closes its routers, and with them
 * every transport, producer and consumer.
 */
export class Room {
  readonly events = new EventEmitter<RoomEvents>();
  private readonly routers: RoomRouter[] = [];
  private readonly producers = new Map<string, types.Producer>();
  /** Per non-origin router: origin producer id → the id of its piped copy there. */
  private readonly piped = new Map<types.Router, Map<string, string>>();
  private readonly unsubscribe: () => void;
  private opening?: Promise<RoomRouter>;
  private closed = false;

  private constructor(
    readonly id: string,
    private readonly pool: WorkerPool,
    private readonly maxConsumersPerRouter: number,
    private origin: RoomRouter,
  ) {
    this.routers.push(origin);
    this.unsubscribe = pool.onReplaced((index, slot) => void this.onWorkerReplaced(index, slot));
  }

  static async create(pool: WorkerPool, id: string, maxConsumersPerRouter: number): Promise<Room> {
    const slot = await pool.leastLoaded();
    return new Room(id, pool, maxConsumersPerRouter, await openRouter(slot, id));
  }

  get originRouter(): types.Router {
    return this.origin.router;
  }

  get rtpCapabilities(): types.RouterRtpCapabilities {
    return this.origin.router.rtpCapabilities;
  }

  routerList(): readonly RoomRouter[] {
    return this.routers;
  }

  /** Where senders connect: the origin router, which holds the teacher's producers. */
  get sendRouter(): RoomRouter {
    return this.origin;
  }

  /** The WebRTC server (the one port) of the worker this router lives on, for a transport on it. */
  async webRtcServerOf(r: RoomRouter): Promise<types.WebRtcServer> {
    return (await this.slotOf(r)).webRtcServer;
  }

  /** A producer made on the origin router: piped at once to every other router of the room. */
  async addProducer(producer: types.Producer): Promise<void> {
    this.producers.set(producer.id, producer);
    producer.observer.once('close', () => {
      this.producers.delete(producer.id);
      for (const ids of this.piped.values()) ids.delete(producer.id);
    });
    for (const r of this.routers) if (r !== this.origin) await this.pipe(producer, r);
  }

  /**
   * The router for a receiver that will consume about `seats` streams, opening (and filling with pipes) another
   * one when all are full. The seats are reserved at once: 200 classrooms joining in the same second, before
   * any of them consumes, must not all land on the first router. `release` gives them back.
   */
  async routerForConsumer(seats = 1): Promise<RoomRouter> {
    const need = Math.min(Math.max(seats, 0), this.maxConsumersPerRouter);
    const free = this.routers.find((r) => Math.max(r.consumers, r.reserved) + Math.max(need, 1) <= this.maxConsumersPerRouter);
    if (free) {
      free.reserved += need;
      return free;
    }
    // One opening at a time: a burst of joins must not open a router each.
    this.opening ??= this.openExtraRouter().finally(() => (this.opening = undefined));
    await this.opening;
    return this.routerForConsumer(seats);
  }

  /**
   * Opens routers until the room has `seats` in all: a class opened for the classrooms booked on it has their routers
   * before they join, so a storm of joins (hundreds in the same second) never waits for one to open (it would wait
   * behind every other join's message for the worker's answers).
   */
  async prepare(seats: number): Promise<void> {
    while (!this.closed && this.routers.length * this.maxConsumersPerRouter < seats) {
      this.opening ??= this.openExtraRouter().finally(() => (this.opening = undefined));
      await this.opening;
    }
  }

  release(r: RoomRouter, seats: number): void {
    r.reserved = Math.max(0, r.reserved - Math.min(Math.max(seats, 0), this.maxConsumersPerRouter));
  }

  /** Counts a consumer against its router (and worker) for as long as it lives. */
  trackConsumer(r: RoomRouter, consumer: types.Consumer): void {
    r.consumers++;
    const slot = this.slotOf(r);
    void slot.then((s) => s.consumers++);
    consumer.observer.once('close', () => {
      r.consumers--;
      void slot.then((s) => s.consumers--);
    });
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.unsubscribe();
    for (const r of this.routers) r.router.close();
    this.routers.length = 0;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  private async openExtraRouter(): Promise<RoomRouter> {
    const used = this.routers.map((r) => r.slotIndex);
    const r = await openRouter(await this.pool.leastLoaded(used), this.id);
    if (this.closed) {
      r.router.close();
      return r;
    }
    for (const producer of this.producers.values()) await this.pipe(producer, r);
    this.routers.push(r);
    return r;
  }

  /** The id a consumer on router `r` must use for the room's producer `producerId`. */
  producerIdOn(r: RoomRouter, producerId: string): string {
    return r === this.origin ? producerId : (this.piped.get(r.router)?.get(producerId) ?? producerId);
  }

  private async pipe(producer: types.Producer, target: RoomRouter): Promise<void> {
    if (producer.closed) return;
    // A new id for each copy: with more routers than workers, two routers of this room share a worker, and
    // ids must be unique within a worker (keepId would throw there).
    const { pipeProducer } = await this.origin.router.pipeToRouter({ producerId: producer.id, router: target.router, keepId: false });
    let ids = this.piped.get(target.router);
    if (!ids) this.piped.set(target.router, (ids = new Map()));
    if (pipeProducer) ids.set(producer.id, pipeProducer.id);
  }

  private slotOf(r: RoomRouter): Promise<WorkerSlot> {
    return this.pool.slot(r.slotIndex);
  }

  private async onWorkerReplaced(index: number, slot: WorkerSlot): Promise<void> {
    if (this.closed) return;
    const lost = this.routers.filter((r) => r.slotIndex === index);
    if (lost.length === 0) return;
    for (const r of lost) {
      this.routers.splice(this.routers.indexOf(r), 1);
      this.piped.delete(r.router);
    }
    const originLost = lost.includes(this.origin);
    if (originLost) {
      // The teacher's producers died with the origin; she reconnects and produces again.
      this.producers.clear();
      for (const r of this.routers) r.router.close();
      this.routers.length = 0;
      this.piped.clear();
      this.origin = await openRouter(slot, this.id);
      this.routers.push(this.origin);
    }
    this.events.emit('routersLost', lost, originLost);
  }
}

async function openRouter(slot: WorkerSlot, roomId: string): Promise<RoomRouter> {
  const router = await slot.worker.createRouter({ mediaCodecs: MEDIA_CODECS, appData: { roomId } });
  return { slotIndex: slot.index, router, consumers: 0, reserved: 0 };
}
