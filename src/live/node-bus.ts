import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { CLOCK, type Clock, type Timer } from '../common/clock.js';
import { AppConfig, nodeIdOf } from '../config/app.config.js';
import { REDIS_LINK, type RedisClient, type RedisLink } from '../web/redis-adapter.js';

/** A node is taken for dead when it hasn't said it lives for this long. */
export const NODE_ALIVE_MS = 6000;
const HEARTBEAT_EVERY_MS = 2000;
const REPLY_TIMEOUT_MS = 5000;

/** What one node sends another: a kind and its body. */
export interface NodeMessage {
  kind: string;
  from: string;
  body: unknown;
}

interface Envelope extends NodeMessage {
  /** Set on a request: the sender waits for a reply with this id. */
  ask?: string;
  /** Set on a reply. */
  reply?: string;
  error?: { status: number; message: string };
}

/** A node as the others see it: its name and how many consumers it carries (its load). */
export interface NodeState {
  id: string;
  consumers: number;
}

type Handler = (body: unknown, from: string) => unknown;

/** An error whose HTTP status travels back to the node that asked. */
interface StatusError extends Error {
  getStatus?: () => number;
}

/**
 * The nodes of one install talking to each other through Redis (REDIS_URL), for what the socket.io adapter doesn't
 * carry: one node asking another to pipe a class's media to it, and that media's changes. Each node listens on a
 * channel of its own; `send` publishes to one node, `request` also waits for its reply (5 s at most). Each node says
 * every 2 s that it lives and what it carries (`alive`), which is how a home node picks another to take a class's
 * overflow and notices an edge node that died. Messages from one node to another arrive in the order sent (one
 * publishing connection, one subscription). Alone (no REDIS_URL) there are no other nodes.
 */
@Injectable()
export class NodeBus implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(NodeBus.name);
  readonly nodeId: string;
  private readonly handlers = new Map<string, Handler>();
  private readonly waiting = new Map<string, { resolve(v: unknown): void; reject(e: Error): void; timer: Timer }>();
  private subscriber?: RedisClient;
  private heartbeat?: Timer;
  /** This node's load, read at each heartbeat. */
  load: () => number = () => 0;

  constructor(
    @Inject(REDIS_LINK) private readonly redis: RedisLink | null,
    config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    this.nodeId = nodeIdOf(config);
  }

  get enabled(): boolean {
    return this.redis !== null;
  }

  private channel(nodeId: string): string {
    return `${this.redis!.prefix}:node:${nodeId}`;
  }

  /** The channel every node listens on. */
  private get everyone(): string {
    return `${this.redis!.prefix}:nodes:all`;
  }

  private get registry(): string {
    return `${this.redis!.prefix}:nodes`;
  }

  async onModuleInit(): Promise<void> {
    if (!this.redis) return;
    this.subscriber = this.redis.client.duplicate();
    this.subscriber.on('error', (e: Error) => this.logger.error(`Redis subscriber: ${e.message}`));
    await this.subscriber.connect();
    await this.subscriber.subscribe([this.channel(this.nodeId), this.everyone], (raw) => void this.receive(raw));
    await this.beat();
    this.heartbeat = this.clock.setInterval(() => void this.beat(), HEARTBEAT_EVERY_MS);
  }

  async onModuleDestroy(): Promise<void> {
    this.clock.clearInterval(this.heartbeat);
    for (const [id, w] of this.waiting) {
      this.clock.clearTimeout(w.timer);
      w.reject(new Error('this node is shutting down'));
      this.waiting.delete(id);
    }
    if (this.redis?.client.isOpen) await this.redis.client.hDel(this.registry, this.nodeId).catch(() => 0);
    if (this.subscriber?.isOpen) this.subscriber.destroy();
  }

  /** Stops saying this node lives, as a node that died would (for tests of a node's death). */
  silence(): void {
    this.clock.clearInterval(this.heartbeat);
    this.heartbeat = undefined;
    if (this.subscriber?.isOpen) this.subscriber.destroy();
  }

  /** What to do with messages of this kind; a request's reply is what the handler returns. */
  on(kind: string, handler: Handler): void {
    this.handlers.set(kind, handler);
  }

  /** To every other node (a message this node sent itself is not handled here). */
  broadcast(kind: string, body: unknown): void {
    void this.redis?.client.publish(this.everyone, JSON.stringify({ kind, from: this.nodeId, body })).catch((e: Error) => this.logger.warn(`to all: ${e.message}`));
  }

  send(to: string, kind: string, body: unknown): void {
    void this.publish(to, { kind, from: this.nodeId, body });
  }

  /** Asks another node and waits for its answer; its refusal comes back as an error with the same status. */
  request<T>(to: string, kind: string, body: unknown, timeoutMs = REPLY_TIMEOUT_MS): Promise<T> {
    const ask = randomUUID();
    return new Promise<T>((resolve, reject) => {
      const timer = this.clock.setTimeout(() => {
        this.waiting.delete(ask);
        reject(Object.assign(new Error(`node ${to} did not answer ${kind} within ${timeoutMs} ms`), { status: 503 }));
      }, timeoutMs);
      this.waiting.set(ask, { resolve: resolve as (v: unknown) => void, reject, timer });
      void this.publish(to, { kind, from: this.nodeId, body, ask });
    });
  }

  /** The nodes alive now, this one included, least loaded first. */
  async alive(): Promise<NodeState[]> {
    if (!this.redis) return [{ id: this.nodeId, consumers: this.load() }];
    const now = this.clock.now().getTime();
    const all = await this.redis.client.hGetAll(this.registry);
    return Object.entries(all)
      .flatMap(([id, raw]) => {
        const state = JSON.parse(raw) as { consumers: number; at: number };
        return now - state.at < NODE_ALIVE_MS ? [{ id, consumers: state.consumers }] : [];
      })
      .sort((x, y) => x.consumers - y.consumers);
  }

  async isAlive(nodeId: string): Promise<boolean> {
    return (await this.alive()).some((n) => n.id === nodeId);
  }

  private async beat(): Promise<void> {
    const state = JSON.stringify({ consumers: this.load(), at: this.clock.now().getTime() });
    await this.redis!.client.hSet(this.registry, this.nodeId, state).catch((e: Error) => this.logger.warn(`heartbeat: ${e.message}`));
  }

  private async publish(to: string, envelope: Envelope): Promise<void> {
    await this.redis?.client.publish(this.channel(to), JSON.stringify(envelope)).catch((e: Error) => this.logger.warn(`to ${to}: ${e.message}`));
  }

  private async receive(raw: string): Promise<void> {
    let message: Envelope;
    try {
      message = JSON.parse(raw) as Envelope;
    } catch {
      return this.logger.warn('a message from another node was not JSON');
    }
    if (message.reply) {
      const w = this.waiting.get(message.reply);
      if (!w) return;
      this.waiting.delete(message.reply);
      this.clock.clearTimeout(w.timer);
      if (message.error) w.reject(Object.assign(new Error(message.error.message), { status: message.error.status }));
      else w.resolve(message.body);
      return;
    }
    if (message.from === this.nodeId && !message.ask) return;
    const handler = this.handlers.get(message.kind);
    try {
      if (!handler) throw new Error(`no handler for ${message.kind}`);
      const body = await handler(message.body, message.from);
      if (message.ask) await this.publish(message.from, { kind: message.kind, from: this.nodeId, body, reply: message.ask });
    } catch (e) {
      const err = e as StatusError;
      if (!message.ask) return this.logger.warn(`${message.kind} from ${message.from}: ${err.message}`);
      const error = { status: err.getStatus?.() ?? 500, message: err.message };
      await this.publish(message.from, { kind: message.kind, from: this.nodeId, body: null, reply: message.ask, error });
    }
  }
}
