import { createHash } from 'node:crypto';
import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import { connect, type Socket } from 'node:net';

/**
 * A reverse proxy in front of several nodes, doing for tests what compose's Caddy does: a request with `?node=` goes
 * to that node while it lives; one with `?session=` (the live socket of a class) to one node chosen by a rendezvous
 * hash of the session among the nodes alive; anything else to the `fallback` node while it lives. `kill(name)` is a node dying as the browsers see it: its
 * connections are cut and nothing more is sent to it.
 */
export class SessionProxy {
  private readonly dead = new Set<string>();
  private readonly open = new Map<string, Set<Socket>>();
  fallback: string;

  private constructor(
    private readonly server: Server,
    private readonly nodes: Record<string, number>,
  ) {
    this.fallback = Object.keys(nodes)[0];
    for (const name of Object.keys(nodes)) this.open.set(name, new Set());
  }

  static async start(nodes: Record<string, number>): Promise<SessionProxy> {
    const server = createServer();
    const proxy = new SessionProxy(server, nodes);
    server.on('request', (req, res) => {
      const node = proxy.route(req);
      const upstream = request({ host: '127.0.0.1', port: nodes[node], method: req.method, path: req.url, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      upstream.on('socket', (s) => proxy.track(node, s));
      upstream.on('error', () => {
        if (!res.headersSent) res.writeHead(502).end();
        else res.destroy();
      });
      req.pipe(upstream);
    });
    server.on('upgrade', (req: IncomingMessage, client: Socket, head: Buffer) => {
      const node = proxy.route(req);
      const upstream = connect(nodes[node], '127.0.0.1', () => {
        const lines = [`${req.method} ${req.url} HTTP/1.1`, ...Object.entries(req.headers).map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join(', ') : v}`)];
        upstream.write(`${lines.join('\r\n')}\r\n\r\n`);
        if (head.length) upstream.write(head);
        upstream.pipe(client);
        client.pipe(upstream);
      });
      proxy.track(node, upstream);
      proxy.track(node, client);
      const end = () => {
        upstream.destroy();
        client.destroy();
      };
      upstream.on('error', end).on('close', end);
      client.on('error', end).on('close', end);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    return proxy;
  }

  get port(): number {
    return (this.server.address() as { port: number }).port;
  }

  /** Classes whose live sockets go to a chosen node while it lives (as the hash could have chosen it). */
  readonly pinned = new Map<number, string>();

  /** The node the live socket of this session goes to now. */
  nodeFor(sessionId: number): string {
    const alive = Object.keys(this.nodes).filter((n) => !this.dead.has(n));
    const pin = this.pinned.get(sessionId);
    if (pin && alive.includes(pin)) return pin;
    const weight = (n: string) => createHash('sha256').update(`${n}/${sessionId}`).digest().readUInt32BE(0);
    return alive.sort((x, y) => weight(y) - weight(x))[0];
  }

  kill(name: string): void {
    this.dead.add(name);
    for (const s of this.open.get(name) ?? []) s.destroy();
  }

  async close(): Promise<void> {
    for (const set of this.open.values()) for (const s of set) s.destroy();
    this.server.closeAllConnections();
    await new Promise((r) => this.server.close(r));
  }

  private route(req: IncomingMessage): string {
    const query = new URL(req.url ?? '/', 'http://proxy').searchParams;
    // Sent to a given node (its class's home was full): there while it lives, else as any socket of the class.
    const node = query.get('node');
    if (node && node in this.nodes && !this.dead.has(node)) return node;
    const session = query.get('session');
    if (session && /^\d+$/.test(session)) return this.nodeFor(Number(session));
    return this.dead.has(this.fallback) ? this.nodeFor(0) : this.fallback;
  }

  private track(node: string, socket: Socket): void {
    const set = this.open.get(node)!;
    set.add(socket);
    socket.once('close', () => set.delete(socket));
  }
}
