import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy, ServiceUnavailableException } from '@nestjs/common';
import { EventEmitter } from 'node:events';
import * as mediasoup from 'mediasoup';
import type { types } from 'mediasoup';
import { describeMediaAddresses, planMediaAddresses } from './media-addresses.js';
import { SFU_OPTIONS, type SfuOptions } from './sfu.options.js';

export interface WorkerSlot {
  index: number;
  worker: types.Worker;
  webRtcServer: types.WebRtcServer;
  /** Consumers on this worker's routers, kept by the rooms: the basis for placing new routers. */
  consumers: number;
}

/** A worker slot whose worker died and could not be started again yet. */
export interface DownWorker {
  index: number;
  since: string;
  attempts: number;
  lastError: string;
}

/** What /health says of live classes. */
export interface LiveHealth {
  status: 'not-started' | 'up' | 'degraded';
  workers: number;
  down: DownWorker[];
}

/** Waits between attempts to start a dead worker again: quick at first (its port may take a moment to free), then backing off to a minute, for ever. */
export function restartDelayMs(attempt: number): number {
  return attempt <= 5 ? 200 * attempt : Math.min(60_000, 1000 * 2 ** (attempt - 6));
}

interface PoolEvents {
  /** A worker died and was replaced; rooms with routers on `index` must rebuild them. */
  replaced: [index: number, slot: WorkerSlot];
}

/**
 * The mediasoup workers of this node, one per core, each with a WebRtcServer on a port of its own.
 * Started on first use (a server that never hosts a live class never spawns them). A worker that dies is
 * replaced in its slot, on the same port, and `replaced` tells the rooms, which rebuild; the process
 * itself never exits because of it.
 */
@Injectable()
export class WorkerPool implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(WorkerPool.name);
  private readonly events = new EventEmitter<PoolEvents>();
  private slots?: Promise<WorkerSlot[]>;
  private closing = false;
  private readonly down = new Map<number, DownWorker>();

  constructor(@Inject(SFU_OPTIONS) private readonly options: SfuOptions) {}

  /** Says at boot where classrooms will reach the media, and warns when no other machine could. */
  onApplicationBootstrap(): void {
    const plan = planMediaAddresses(this.options);
    this.logger.log(describeMediaAddresses(plan, this.options.webRtcPort));
    if (plan.loopbackOnly) {
      this.logger.warn(
        'only loopback addresses found: classrooms on other machines cannot receive live media. ' +
          'Connect the server to the school network, or set MEDIASOUP_ANNOUNCED_ADDRESS to the address classrooms reach.',
      );
    }
  }

  onReplaced(listener: (index: number, slot: WorkerSlot) => void): () => void {
    this.events.on('replaced', listener);
    return () => this.events.off('replaced', listener);
  }

  ready(): Promise<WorkerSlot[]> {
    this.slots ??= this.startAll().catch((e: Error) => {
      this.slots = undefined; // try again on the next class
      this.logger.error(`mediasoup workers could not start: ${e.message}`);
      throw new ServiceUnavailableException(
        `Live classes are unavailable: the media server could not start (${e.message}). ` + 'An administrator can install it with "npm run setup:mediasoup".',
      );
    });
    return this.slots;
  }

  /** All workers, or none: when one cannot start, those that did are closed again (they would hold their ports). */
  private async startAll(): Promise<WorkerSlot[]> {
    const results = await Promise.allSettled(Array.from({ length: this.options.workers }, (_, i) => this.start(i)));
    const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failure) {
      for (const r of results) if (r.status === 'fulfilled') r.value.worker.close();
      throw failure.reason;
    }
    return results.map((r) => (r as PromiseFulfilledResult<WorkerSlot>).value);
  }

  /** The workers if they have been started; none otherwise (metrics must not start them). */
  async started(): Promise<WorkerSlot[]> {
    return this.slots ? await this.slots : [];
  }

  async slot(index: number): Promise<WorkerSlot> {
    return (await this.ready())[index];
  }

  /** The worker carrying the fewest consumers, optionally avoiding some (already used by a room); never a dead one. */
  async leastLoaded(avoid: number[] = []): Promise<WorkerSlot> {
    const alive = (await this.ready()).filter((s) => !this.down.has(s.index));
    if (alive.length === 0) throw new ServiceUnavailableException('Live classes are unavailable: every media worker is down and being restarted');
    const candidates = alive.filter((s) => !avoid.includes(s.index));
    return (candidates.length ? candidates : alive).reduce((best, s) => (s.consumers < best.consumers ? s : best));
  }

  /** For /health: degraded while a dead worker could not be started again. */
  health(): LiveHealth {
    if (!this.slots) return { status: 'not-started', workers: 0, down: [] };
    const down = [...this.down.values()].sort((a, b) => a.index - b.index);
    return { status: down.length ? 'degraded' : 'up', workers: this.options.workers, down };
  }

  async onModuleDestroy(): Promise<void> {
    this.closing = true;
    if (!this.slots) return;
    for (const slot of await this.slots) slot.worker.close();
  }

  /** Starts the worker of a slot (protected: a spec makes it fail to exercise the restarts). */
  protected async start(index: number): Promise<WorkerSlot> {
    const worker = await mediasoup.createWorker({ logLevel: this.options.logLevel, appData: { index } });
    const port = this.options.webRtcPort + index;
    // Looked up at each start, so that a worker started after the network changed announces what is there now.
    const { addresses } = planMediaAddresses(this.options);
    let webRtcServer: types.WebRtcServer;
    try {
      // UDP first: the order is the candidates' priority, and TCP is the fallback for networks that block UDP.
      webRtcServer = await worker.createWebRtcServer({
        listenInfos: [
          ...addresses.map(({ ip, announcedAddress }) => ({ protocol: 'udp' as const, ip, announcedAddress, port })),
          ...addresses.map(({ ip, announcedAddress }) => ({ protocol: 'tcp' as const, ip, announcedAddress, port })),
        ],
      });
    } catch (e) {
      worker.close();
      throw new Error(`worker ${index} could not listen on port ${port}: ${(e as Error).message}`, { cause: e });
    }
    const slot: WorkerSlot = { index, worker, webRtcServer, consumers: 0 };
    worker.on('died', (error) => void this.replace(slot, error));
    this.logger.log(`mediasoup worker ${index} (pid ${worker.pid}) listening on ${port} udp/tcp`);
    return slot;
  }

  private async replace(dead: WorkerSlot, error: Error): Promise<void> {
    if (this.closing) return;
    this.logger.error(`mediasoup worker ${dead.index} (pid ${dead.worker.pid}) died: ${error.message}; replacing it`);
    const since = new Date().toISOString();
    this.down.set(dead.index, { index: dead.index, since, attempts: 0, lastError: error.message });
    const slots = await this.ready();
    // The dead worker's port is released with its process: quick retries first, in case the OS is slow to free
    // it; then backing off, for as long as it takes, with /health saying live classes are degraded meanwhile.
    for (let attempt = 1; !this.closing; attempt++) {
      try {
        const fresh = await this.start(dead.index);
        slots[dead.index] = fresh;
        if (this.down.delete(dead.index)) this.logger.log(`mediasoup worker ${dead.index} is back after ${attempt} attempts`);
        this.events.emit('replaced', dead.index, fresh);
        return;
      } catch (e) {
        const message = (e as Error).message;
        if (attempt === 5) this.logger.error(`could not restart mediasoup worker ${dead.index} yet (${message}); live classes are degraded, retrying`);
        this.down.set(dead.index, { index: dead.index, since, attempts: attempt, lastError: message });
        await new Promise((r) => setTimeout(r, restartDelayMs(attempt)).unref());
      }
    }
  }
}
