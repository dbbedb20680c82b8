import { restartDelayMs, WorkerPool, type WorkerSlot } from '../../src/live/sfu/worker-pool.js';
import { eventually } from '../support/eventually.js';
import { freePorts } from '../support/ports.js';

/**
 * #11.16: a media worker that dies and then fails to start again is retried with backoff, for as long as it
 * takes, and the pool says live classes are degraded meanwhile (what /health reports).
 */
describe('restarting a dead media worker', () => {
  /** A pool whose workers refuse to start `failures` times after the first start (a port still taken, say). */
  class StubbornPool extends WorkerPool {
    failures = 0;
    attempts = 0;
    protected override async start(index: number): Promise<WorkerSlot> {
      if (this.attempts++ > 1 && this.failures-- > 0) throw new Error('port 4xxxx is in use');
      return super.start(index);
    }
  }

  it('backs off from 0.2 s to a minute, and never gives up', () => {
    expect([1, 2, 5, 6, 7, 10, 12, 40].map(restartDelayMs)).toEqual([200, 400, 1000, 1000, 2000, 16000, 60000, 60000]);
  });

  it('reports degraded while the worker is down, keeps trying past the quick retries, and is whole again after', async () => {
    const pool = new StubbornPool({ workers: 2, webRtcPort: await freePorts(2), listenIp: '127.0.0.1', maxConsumersPerRouter: 10, logLevel: 'none' });
    try {
      expect(pool.health()).toEqual({ status: 'not-started', workers: 0, down: [] });
      const [first] = await pool.ready();
      expect(pool.health()).toEqual({ status: 'up', workers: 2, down: [] });

      pool.failures = 6; // more than the five quick retries
      const replaced = new Promise<number>((resolve) => pool.onReplaced((index) => resolve(index)));
      process.kill(first.worker.pid!, 'SIGKILL');
      // Until a restart has failed twice (the worker's death and the first refusals are seen by then).
      await eventually(() => (pool.health().down[0]?.attempts ?? 0) >= 2, { what: 'two failed restarts of worker 0', intervalMs: 50 });
      const during = pool.health();
      expect(during.status).toBe('degraded');
      expect(during.down).toEqual([expect.objectContaining({ index: 0, lastError: 'port 4xxxx is in use', attempts: expect.any(Number) })]);
      // New work goes to the worker that is alive.
      expect((await pool.leastLoaded()).index).toBe(1);

      expect(await replaced).toBe(0);
      expect(pool.health()).toEqual({ status: 'up', workers: 2, down: [] });
      expect((await pool.slot(0)).worker.closed).toBe(false);
    } finally {
      await pool.onModuleDestroy();
    }
  });
});
