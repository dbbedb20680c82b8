import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A simulated county: classroom hosts that are other machines as far as the server can tell. Each host is a
 * Linux network namespace joined to the server's host by a veth link, with addresses from 198.18.0.0/15 (the
 * range reserved for network benchmarks), used only inside namespaces made here and removed by `close()`.
 * Links are shaped as rural links are: `tc` tbf for rate, nftables random drops at *prerouting* on the
 * receiving side for loss (this kernel has no netem, and a drop in the sender's output hook is not loss: the
 * sender gets EPERM and sends again). Needs root; without it `create` fails and says why, never skips.
 *
 * Used by the field tests (test/browser/) and by bench/weaklink.mjs.
 */

export interface LinkShape {
  /** Server → classroom, kbit/s. */
  downKbit?: number;
  /** Classroom → server, kbit/s. */
  upKbit?: number;
  /** Random loss in both directions, percent. */
  lossPercent?: number;
  /** A school firewall that lets no UDP through (WebRTC must fall back to TCP). */
  blockUdp?: boolean;
  /** A firewall that lets nothing through to these server ports, UDP or TCP (a media port range, say). */
  blockServerPorts?: [from: number, to: number];
  /** The strictest school firewall: no UDP, and TCP to the server only to these ports (443, say). */
  onlyServerTcpPorts?: number[];
}

export interface Host {
  /** The namespace's name (`ip netns exec <name> …`). */
  readonly name: string;
  /** The classroom's address. */
  readonly address: string;
  /** The server's address as this host reaches it (its end of the veth link). */
  readonly serverAddress: string;
  /** An executable that runs Chromium inside this host: give it to Playwright as `executablePath`. */
  readonly chromium: string;
  /** Replaces the link's shape (an empty shape makes it unshaped again). */
  shape(shape: LinkShape): void;
  /** Runs a program inside this host and returns what it printed. */
  exec(file: string, args: string[]): string;
}

const PREFIX = 'tongke-';

function run(file: string, args: string[], input?: string): string {
  return execFileSync(file, args, { encoding: 'utf8', input, stdio: ['pipe', 'pipe', 'pipe'] });
}

function tryRun(file: string, args: string[]): void {
  try {
    run(file, args);
  } catch {
    // already gone
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Why this machine can't build hosts, or null when it can. */
function cannotBuild(): string | null {
  if (process.platform !== 'linux') return 'network namespaces need Linux';
  if (process.getuid?.() !== 0) return 'network namespaces, veth links, tc and nftables need root (CI runs as root)';
  for (const [tool, pkg] of [
    ['ip', 'iproute2'],
    ['tc', 'iproute2'],
    ['nft', 'nftables'],
  ]) {
    try {
      run('sh', ['-c', `command -v ${tool}`]);
    } catch {
      return `${tool} is missing: install Debian's ${pkg} (scripts/ensure-system-deps.sh does)`;
    }
  }
  return null;
}

/** Namespaces a killed earlier run left behind (their owner process is gone). */
function removeLeftovers(): void {
  const names = run('ip', ['netns', 'list'])
    .split('\n')
    .map((l) => l.split(' ')[0])
    .filter((n) => n.startsWith(PREFIX));
  for (const name of names) {
    const pid = Number(name.slice(PREFIX.length).split('-')[0]);
    if (!Number.isInteger(pid) || !alive(pid)) tryRun('ip', ['netns', 'delete', name]);
  }
  const tables = run('nft', ['list', 'tables']).split('\n');
  for (const line of tables) {
    const m = /^table inet (tongke_(\d+)_\d+)$/.exec(line.trim());
    if (m && !alive(Number(m[2]))) tryRun('nft', ['delete', 'table', 'inet', m[1]]);
  }
}

/** tbf needs a bucket of at least one full packet; a 50 ms worth of rate otherwise. */
function tbf(dev: string, kbit: number): string[] {
  const burst = Math.max(4000, Math.round((kbit * 1000) / 8 / 20));
  return ['qdisc', 'replace', 'dev', dev, 'root', 'tbf', 'rate', `${kbit}kbit`, 'burst', String(burst), 'latency', '400ms'];
}

class NamespaceHost implements Host {
  readonly chromium: string;
  private readonly table: string;

  constructor(
    readonly name: string,
    readonly address: string,
    readonly serverAddress: string,
    private readonly hostDev: string,
    private readonly nsDev: string,
    dir: string,
    tableSuffix: string,
  ) {
    this.table = `tongke_${tableSuffix}`;
    this.chromium = join(dir, `chromium-${name}`);
    const binary = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
    writeFileSync(this.chromium, `#!/bin/sh\nexec ip netns exec ${name} ${binary} "$@"\n`);
    chmodSync(this.chromium, 0o755);
  }

  exec(file: string, args: string[]): string {
    return run('ip', ['netns', 'exec', this.name, file, ...args]);
  }

  shape(shape: LinkShape): void {
    tryRun('tc', ['qdisc', 'del', 'dev', this.hostDev, 'root']);
    tryRun('ip', ['netns', 'exec', this.name, 'tc', 'qdisc', 'del', 'dev', this.nsDev, 'root']);
    if (shape.downKbit) run('tc', tbf(this.hostDev, shape.downKbit));
    if (shape.upKbit) run('ip', ['netns', 'exec', this.name, 'tc', ...tbf(this.nsDev, shape.upKbit)]);

    // Loss and blocks at prerouting of the receiving side: the classroom's for the downlink, the server's
    // (packets arriving from this host's link) for the uplink.
    const rules = (match: string) => {
      const lines: string[] = [];
      if (shape.blockUdp || shape.onlyServerTcpPorts) lines.push(`${match} meta l4proto udp drop`);
      if (shape.lossPercent) lines.push(`${match} numgen random mod 10000 < ${Math.round(shape.lossPercent * 100)} drop`);
      return lines.join('\n    ');
    };
    const ports = shape.blockServerPorts ? `${shape.blockServerPorts[0]}-${shape.blockServerPorts[1]}` : '';
    const table = (name: string, match: string) =>
      `table inet ${name} {\n  chain pre {\n    type filter hook prerouting priority -300; policy accept;\n    ${rules(match)}\n  }\n}\n`;
    tryRun('nft', ['delete', 'table', 'inet', this.table]);
    tryRun('ip', ['netns', 'exec', this.name, 'nft', 'delete', 'table', 'inet', 'tongke']);
    const only = shape.onlyServerTcpPorts?.join(', ');
    if (shape.blockUdp || shape.lossPercent || ports || only) {
      const server =
        rules(`iifname "${this.hostDev}"`) +
        (ports ? `\n    iifname "${this.hostDev}" meta l4proto { tcp, udp } th dport ${ports} drop` : '') +
        (only ? `\n    iifname "${this.hostDev}" tcp dport != { ${only} } drop` : '');
      run('nft', ['-f', '-'], `table inet ${this.table} {\n  chain pre {\n    type filter hook prerouting priority -300; policy accept;\n    ${server}\n  }\n}\n`);
      run('ip', ['netns', 'exec', this.name, 'nft', '-f', '-'], table('tongke', `iifname "${this.nsDev}"`));
    }
  }

  remove(): void {
    tryRun('nft', ['delete', 'table', 'inet', this.table]);
    // Deleting the namespace deletes its end of the veth link, and with it the server's end.
    tryRun('ip', ['netns', 'delete', this.name]);
    tryRun('ip', ['link', 'delete', this.hostDev]);
  }
}

export class County {
  private constructor(
    readonly hosts: Host[],
    private readonly dir: string,
  ) {}

  /** `count` classroom hosts (at most 60), each on its own /30 of 198.18.0.0/15. */
  static create(count: number): County {
    const problem = cannotBuild();
    if (problem) throw new Error(`The simulated county can't be built on this machine: ${problem}.`);
    if (count < 1 || count > 60) throw new Error('a county has 1 to 60 hosts');
    removeLeftovers();
    const dir = mkdtempSync(join(tmpdir(), 'tongke-county-'));
    const hosts: NamespaceHost[] = [];
    const county = new County(hosts, dir);
    // A block of /30s per process, so that a bench and a test running at once don't take the same addresses.
    const base = (process.pid % 1000) * 64;
    try {
      for (let i = 0; i < count; i++) {
        const block = base + i * 4; // offset of this /30 within 198.18.0.0/15 (131072 addresses)
        const third = 18 + Math.floor(block / 65536);
        const ip = (n: number) => `198.${third}.${Math.floor((block % 65536) / 256)}.${(block % 256) + n}`;
        const name = `${PREFIX}${process.pid}-${i}`;
        const hostDev = `tkh${process.pid}x${i}`.slice(0, 15);
        const nsDev = `tkn${process.pid}x${i}`.slice(0, 15);
        run('ip', ['netns', 'add', name]);
        run('ip', ['link', 'add', hostDev, 'type', 'veth', 'peer', 'name', nsDev]);
        const host = new NamespaceHost(name, ip(2), ip(1), hostDev, nsDev, dir, `${process.pid}_${i}`);
        hosts.push(host);
        run('ip', ['link', 'set', nsDev, 'netns', name]);
        run('ip', ['addr', 'add', `${ip(1)}/30`, 'dev', hostDev]);
        run('ip', ['link', 'set', hostDev, 'up']);
        run('ip', ['netns', 'exec', name, 'ip', 'addr', 'add', `${ip(2)}/30`, 'dev', nsDev]);
        run('ip', ['netns', 'exec', name, 'ip', 'link', 'set', nsDev, 'up']);
        run('ip', ['netns', 'exec', name, 'ip', 'link', 'set', 'lo', 'up']);
        run('ip', ['netns', 'exec', name, 'ip', 'route', 'add', 'default', 'via', ip(1)]);
      }
    } catch (e) {
      county.close();
      throw e;
    }
    return county;
  }

  close(): void {
    for (const h of this.hosts as NamespaceHost[]) h.remove();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
