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
    this.slots ??= Promise.all(Array.from({ length: this.options.workers }, (_, i) => this.start(i))).catch((e: Error) => {
      this.slots = undefined; // try again on the next class
      this.logger.error(`mediasoup workers could not start: ${e.message}`);
      throw new ServiceUnavailableException(
        `Live classes are unavailable: the media server could not start (${e.message}). ` + 'An administrator can install it with "npm run setup:mediasoup".',
      );
    });
    return this.slots;
  }

  /** The workers if they have been started; none otherwise (metrics must not start them). */
  async started(): Promise<WorkerSlot[]> {
    return this.slots ? await this.slots : [];
  }

  async slot(index: number): Promise<WorkerSlot> {
    return (await this.ready())[index];
  }

  /** The worker carrying the fewest consumers, optionally avoiding some (already used by a room). */
  async leastLoaded(avoid: number[] = []): Promise<WorkerSlot> {
    const slots = await this.ready();
    const candidates = slots.filter((s) => !avoid.includes(s.index));
    return (candidates.length ? candidates : slots).reduce((best, s) => (s.consumers < best.consumers ? s : best));
  }

  async onModuleDestroy(): Promise<void> {
    this.closing = true;
    if (!this.slots) return;
    for (const slot of await this.slots) slot.worker.close();
  }

  private async start(index: number): Promise<WorkerSlot> {
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
    const slots = await this.ready();
    // The dead worker's port is released with its process; retry briefly in case the OS is slow to free it.
    for (let attempt = 1; ; attempt++) {
      try {
        const fresh = await this.start(dead.index);
        slots[dead.index] = fresh;
        this.events.emit('replaced', dead.index, fresh);
        return;
      } catch (e) {
        if (attempt >= 5 || this.closing) {
          this.logger.error(`could not replace mediasoup worker ${dead.index}: ${(e as Error).message}`);
          return;
        }
        await new Promise((r) => setTimeout(r, 200 * attempt));
      }
    }
  }
}
