import { spawn, type ChildProcess } from 'node:child_process';
import { createConnection } from 'node:net';
import { freePorts } from './ports.js';

/**
 * A Redis of the test's own (Debian's redis-server, installed by scripts/ensure-system-deps.sh), on a free port,
 * in memory only: tests of several nodes neither need nor disturb a Redis the machine may run.
 */
export class TestRedis {
  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
  ) {}

  static async start(): Promise<TestRedis> {
    const port = await freePorts(1);
    const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    const failed = new Promise<never>((_, reject) => child.once('error', (e) => reject(new Error(`redis-server could not start: ${e.message}`))));
    for (let i = 0; i < 100; i++) {
      const up = await Promise.race([failed, canConnect(port)]);
      if (up) return new TestRedis(child, `redis://127.0.0.1:${port}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    child.kill();
    throw new Error(`redis-server did not listen on port ${port} within 5 s`);
  }

  stop(): void {
    this.child.kill();
  }
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port }, () => {
      socket.end();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
