import { SkipThrottle } from '@nestjs/throttler';
import { Controller, Get, Header, Injectable } from '@nestjs/common';
import { ApiExcludeEndpoint } from '@nestjs/swagger';
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import { Public } from '../auth/decorators.js';
import { ClassRegistry } from './class-registry.js';
import { WorkerPool } from './sfu/worker-pool.js';

/**
 * Prometheus metrics of live classes, read when scraped: live rooms, peers, consumers and CPU per mediasoup
 * worker, bytes in and out; plus Node's own process metrics.
 */
@Injectable()
export class LiveMetrics {
  readonly registry = new Registry();

  constructor(classes: ClassRegistry, pool: WorkerPool) {
    collectDefaultMetrics({ register: this.registry, prefix: 'tongke_' });
    new Gauge({
      name: 'tongke_live_rooms',
      help: 'Live classes open on this node',
      registers: [this.registry],
      collect() {
        this.set(classes.size);
      },
    });
    new Gauge({
      name: 'tongke_live_peers',
      help: 'Teachers, classrooms and observers connected to live classes',
      registers: [this.registry],
      async collect() {
        let n = 0;
        for (const live of await classes.all()) n += live.peers.size;
        this.set(n);
      },
    });
    new Gauge({
      name: 'tongke_worker_consumers',
      help: 'Consumers carried by each mediasoup worker',
      labelNames: ['worker'],
      registers: [this.registry],
      async collect() {
        for (const slot of await pool.started()) this.set({ worker: String(slot.index) }, slot.consumers);
      },
    });
    new Counter({
      name: 'tongke_worker_cpu_seconds_total',
      help: 'CPU time (user + system) used by each mediasoup worker process',
      labelNames: ['worker'],
      registers: [this.registry],
      async collect() {
        this.reset();
        for (const slot of await pool.started()) {
          const usage = await slot.worker.getResourceUsage();
          this.inc({ worker: String(slot.index) }, (usage.ru_utime + usage.ru_stime) / 1000);
        }
      },
    });
    const bytes = (direction: 'in' | 'out') =>
      new Counter({
        name: `tongke_media_bytes_${direction}_total`,
        help: `Media bytes ${direction === 'in' ? 'received' : 'sent'} by the live classes' transports`,
        registers: [this.registry],
        async collect() {
          this.reset();
          let total = 0;
          for (const live of await classes.all()) {
            for (const peer of live.peers.values()) {
              for (const { transport } of peer.transports.values()) {
                for (const s of await transport.getStats()) total += direction === 'in' ? s.bytesReceived : s.bytesSent;
              }
            }
          }
          this.inc(total);
        },
      });
    bytes('in');
    bytes('out');
  }
}

@SkipThrottle()
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: LiveMetrics) {}

  @Get()
  @Public()
  @ApiExcludeEndpoint()
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  scrape(): Promise<string> {
    return this.metrics.registry.metrics();
  }
}
