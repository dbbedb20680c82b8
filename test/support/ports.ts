import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';

/**
 * A base port under which `count` consecutive ports are free for both UDP and TCP on 127.0.0.1, chosen below the
 * kernel's ephemeral range (32768–60999), where the tests' own client sockets (HTTP, PostgreSQL, Chromium) would
 * otherwise take one now and then ("address already in use" when a media worker starts).
 */
export async function freePorts(count: number, from = 20000, to = 32000): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = from + Math.floor(Math.random() * (to - from - count));
    if (await allFree(base, count)) return base;
  }
  throw new Error(`no ${count} consecutive free ports between ${from} and ${to}`);
}

async function allFree(base: number, count: number): Promise<boolean> {
  for (let port = base; port < base + count; port++) {
    if (!(await udpFree(port)) || !(await tcpFree(port))) return false;
  }
  return true;
}

function udpFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createSocket('udp4');
    s.once('error', () => resolve(false));
    s.bind(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

function tcpFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}
