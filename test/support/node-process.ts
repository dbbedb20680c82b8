import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { eventually } from './eventually.js';

const ROOT = resolve(import.meta.dirname, '..', '..');

/**
 * A Tongke node as its own process (the built server, `dist/src/main.js`, on the project's Node.js), for tests
 * where a node dies as a process does: `kill()` is SIGKILL, with no chance to say goodbye to the other nodes.
 * Build it first (`npm run build:server`, which `npm test` runs).
 */
export class NodeProcess {
  private output = '';

  private constructor(
    private readonly child: ChildProcess,
    private readonly dataDir: string,
    readonly port: number,
  ) {
    child.stdout?.on('data', (d: Buffer) => (this.output = (this.output + d.toString()).slice(-20_000)));
    child.stderr?.on('data', (d: Buffer) => (this.output = (this.output + d.toString()).slice(-20_000)));
  }

  static async start(port: number, env: Record<string, string>): Promise<NodeProcess> {
    const dataDir = mkdtempSync(join(tmpdir(), 'tongke-node-'));
    const child = spawn(join(ROOT, 'node_modules', '.bin', 'node'), [join(ROOT, 'dist', 'src', 'main.js')], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const node = new NodeProcess(child, dataDir, port);
    try {
      await eventually(
        async () => {
          if (child.exitCode !== null) throw new Error(`the node exited (${child.exitCode}):\n${node.output}`);
          return (await fetch(`http://127.0.0.1:${port}/health`).catch(() => null))?.ok === true;
        },
        { what: 'the node process to serve /health', timeoutMs: 30_000, intervalMs: 250 },
      );
    } catch (e) {
      node.kill();
      throw e;
    }
    return node;
  }

  /** What it printed last (for a failing test's message). */
  get log(): string {
    return this.output;
  }

  /** Dies at once, as a crashed or unplugged machine does. */
  kill(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      this.child.kill('SIGTERM');
      // Until it has exited; one that hangs in its shutdown is killed.
      await eventually(() => this.child.exitCode !== null || this.child.signalCode !== null, { what: 'the node process to exit', timeoutMs: 5000 }).catch(() => this.kill());
    }
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}
