import { Inject, Injectable, Logger, NotFoundException, ServiceUnavailableException, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { types } from 'mediasoup';
import { CLOCK, type Clock, type Timer } from '../common/clock.js';
import { LiveEvent, type ChatMessage, type MediaSource, type PeerInfo, type PeersChangedEvent } from '../contracts/live.js';
import { SessionsService } from '../scheduling/sessions.service.js';
import { ClassHomes } from './class-homes.js';
import { ClassRegistry } from './class-registry.js';
import type { LiveClass } from './live-class.js';
import { LiveNotifier } from './live-notifier.js';
import { NodeBus } from './node-bus.js';
import { WorkerPool } from './sfu/worker-pool.js';
import { PipeLink, type PipeAddress, type PipedProducer, type PipeListen } from './sfu/pipe-link.js';

export const PIPE_LISTEN = Symbol('PIPE_LISTEN');
/** How many classrooms of one class a node serves before it sends the next to another node (0: no limit). */
export const CLASSROOMS_PER_NODE = Symbol('CLASSROOMS_PER_NODE');
const WATCH_EVERY_MS = 2000;

interface Produced {
  sessionId: number;
  piped: PipedProducer;
  source: MediaSource;
  owner: PeerInfo;
}

interface FeedReply {
  pipe: PipeAddress;
  /** Everyone in the class at the home, for the edge's list. */
  roster: PeerInfo[];
  producers: Omit<Produced, 'sessionId'>[];
}

/**
 * Classes that span nodes (REDIS_URL): a class's home node holds its teacher and her media; a classroom that reaches
 * another node (sent there because the home is full, `CLASS_FULL_HERE`, or by the proxy) is served there by an
 * *edge* class. The edge opens a PipeLink to the home (NodeBus `pipe:feed`), and the home pipes down it every
 * producer of the class, now and as they come (`pipe:produced`, then `pipe:change` as they pause, resume and
 * close); the edge's classrooms consume those as if the teacher were there. What the class shares stays with the
 * home: the edge reports its peers (`class:peer`, so the teacher lists everyone), its hands (`class:hand`), asks
 * before a classroom talks back (`class:mayTalk`) and pipes that classroom's media up to the home, which pipes it on
 * to the other edges. Chat is kept on every node of the class (`class:chat`). A home that finds an edge dead drops
 * its peers; an edge that finds its home dead or moved closes and tells its classrooms to join again.
 */
@Injectable()
export class ClassPipes implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(ClassPipes.name);
  /** Per class open here: its pipes, by the other node's id. */
  private readonly links = new Map<number, Map<string, PipeLink>>();
  private watcher?: Timer;
  /** The consumers this node's workers carry, as of the last watch: its load, told to the other nodes. */
  private load = 0;

  constructor(
    private readonly bus: NodeBus,
    private readonly classes: ClassRegistry,
    private readonly homes: ClassHomes,
    private readonly notifier: LiveNotifier,
    private readonly pool: WorkerPool,
    private readonly sessions: SessionsService,
    @Inject(PIPE_LISTEN) private readonly listen: PipeListen,
    @Inject(CLASSROOMS_PER_NODE) private readonly classroomsPerNode: number,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    if (!this.bus.enabled) return;
    this.bus.load = () => this.load;
    this.classes.onOpened((live) => this.follow(live));
    this.classes.feedEdgesWith((live) => this.feed(live));
    const on = <T>(kind: string, handler: (body: T, from: string) => unknown) => this.bus.on(kind, (body, from) => handler(body as T, from));
    on<{ sessionId: number; pipe: PipeAddress }>('pipe:feed', (b, from) => this.onFeed(b.sessionId, b.pipe, from));
    on<Produced>('pipe:produced', (b, from) => this.onProduced(b, from));
    on<{ sessionId: number; producerId: string; change: 'closed' | 'paused' | 'resumed' }>('pipe:change', (b, from) => this.link(b.sessionId, from)?.follow(b.producerId, b.change));
    on<{ sessionId: number; ended: boolean }>('pipe:unfeed', (b, from) => this.onUnfeed(b.sessionId, from, b.ended));
    on<{ sessionId: number; change: 'joined' | 'left'; peer: PeerInfo; userId: number }>('class:peer', async (b, from) =>
      (await this.home(b.sessionId))?.remotePeer(from, b.change, b.peer, b.userId),
    );
    on<{ sessionId: number; classroomId: number; up: boolean }>('class:hand', async (b) => (await this.requireHome(b.sessionId)).handOf(b.classroomId, b.up));
    on<{ sessionId: number; classroomId: number }>('class:mayTalk', async (b) => (await this.requireHome(b.sessionId)).floor.holds(b.classroomId));
    on<{ sessionId: number; message: ChatMessage }>('class:chat', (b, from) => this.onChat(b.sessionId, b.message, from));
    on<{ sessionId: number; changes: PeersChangedEvent['changes'] }>('class:peers', async (b, from) => {
      const live = await this.classes.find(b.sessionId);
      if (live?.homeNode === from) live.followRoster(b.changes);
    });
    on<{ sessionId: number }>('class:openEdge', async (b) => {
      const core = await this.sessions.core(b.sessionId);
      if (core?.status === 'live') await this.classes.open(core, { asTeacher: false });
    });
    on<{ sessionId: number; classroomId: number }>('class:closeMedia', async (b) => (await this.classes.find(b.sessionId))?.closeClassroomMedia(b.classroomId));
    this.watcher = this.clock.setInterval(() => void this.watch().catch((e: Error) => this.logger.warn(`watching the other nodes: ${e.message}`)), WATCH_EVERY_MS);
  }

  onModuleDestroy(): void {
    this.clock.clearInterval(this.watcher);
  }

  /**
   * The node a classroom joining `live` at its home should go to instead, when the home carries as many of its
   * classrooms as it takes and another node is alive (not `unreachable`: one the classroom was sent to, but its
   * proxy brought it here instead); null to stay here.
   */
  async overflow(live: LiveClass, classroomId: number | null, unreachable?: string): Promise<string | null> {
    if (!this.bus.enabled || this.classroomsPerNode === 0 || live.homeNode !== null) return null;
    const here = new Set([...live.peers.values()].filter((p) => !p.remoteNode && p.classroomId !== null && p.classroomId !== classroomId).map((p) => p.classroomId));
    if (here.size < this.classroomsPerNode) return null;
    return this.edgeNode(live, unreachable);
  }

  /**
   * Where the class's overflow goes: an edge of it with room (each takes as many of its classrooms as a home does),
   * else the least loaded node alive that isn't one yet, else the least loaded edge.
   */
  private async edgeNode(live: LiveClass, unreachable?: string): Promise<string | null> {
    const alive = (await this.bus.alive()).filter((n) => n.id !== this.bus.nodeId && n.id !== unreachable);
    const edges = this.links.get(live.sessionId);
    const classroomsOn = (node: string) => new Set([...live.peers.values()].filter((p) => p.remoteNode === node && p.classroomId !== null).map((p) => p.classroomId)).size;
    const withRoom = alive.find((n) => edges?.has(n.id) && classroomsOn(n.id) < this.classroomsPerNode);
    return (withRoom ?? alive.find((n) => !edges?.has(n.id)) ?? alive[0])?.id ?? null;
  }

  /**
   * A class with more classrooms booked than its home takes has its edge opened on another node as it opens, so
   * that the classrooms sent there (a storm of them, at the start of the lesson) find the teacher's media piped in
   * already instead of waiting for the pipe to be set up.
   */
  async openEdgeAhead(live: LiveClass): Promise<void> {
    if (!this.bus.enabled || this.classroomsPerNode === 0 || live.homeNode !== null || live.booked.size <= this.classroomsPerNode) return;
    const node = await this.edgeNode(live);
    if (node) await this.bus.request(node, 'class:openEdge', { sessionId: live.sessionId });
  }

  // ---- both ends ----

  private follow(live: LiveClass): void {
    const { sessionId } = live;
    const links = new Map<string, PipeLink>();
    this.links.set(sessionId, links);
    let ended = false;
    live.remote = {
      peerChanged: (change, peer, userId) => this.bus.send(live.homeNode!, 'class:peer', { sessionId, change, peer, userId }),
      hand: (classroomId, up) => this.bus.request(live.homeNode!, 'class:hand', { sessionId, classroomId, up }),
      mayTalk: (classroomId) => this.bus.request<boolean>(live.homeNode!, 'class:mayTalk', { sessionId, classroomId }),
      chat: (message) => {
        for (const node of links.keys()) this.bus.send(node, 'class:chat', { sessionId, message });
      },
      closeMedia: (node, classroomId) => this.bus.send(node, 'class:closeMedia', { sessionId, classroomId }),
      peersChanged: (changes) => {
        for (const node of links.keys()) this.bus.send(node, 'class:peers', { sessionId, changes });
      },
    };
    live.events.on('producerAdded', async (producer, source, owner) => {
      for (const [node, link] of links) {
        if (node === owner.remoteNode) continue;
        const produced = await this.export(sessionId, node, link, producer, source, owner.info());
        if (produced) this.bus.send(node, 'pipe:produced', produced);
      }
    });
    live.events.on('ending', () => {
      ended = true;
    });
    // The worker of the router the pipes hang on died, and the pipes with it: an edge joins again from scratch; a
    // home lets its edges go, and they join again.
    live.room.events.on('routersLost', (_lost, originLost) => {
      if (!originLost) return;
      if (live.homeNode !== null) return void this.closeEdge(live, false);
      for (const [node, link] of links) {
        link.close();
        this.bus.send(node, 'pipe:unfeed', { sessionId, ended: false });
        void live.dropNode(node);
      }
      links.clear();
    });
    live.events.on('closed', () => {
      if (this.links.get(sessionId) === links) this.links.delete(sessionId);
      for (const [node, link] of links) {
        link.close();
        this.bus.send(node, 'pipe:unfeed', { sessionId, ended });
      }
      links.clear();
    });
  }

  private link(sessionId: number, node: string): PipeLink | undefined {
    return this.links.get(sessionId)?.get(node);
  }

  private async export(sessionId: number, node: string, link: PipeLink, producer: types.Producer, source: MediaSource, owner: PeerInfo): Promise<Produced | null> {
    const piped = await link.export(producer, {
      closed: (producerId) => this.bus.send(node, 'pipe:change', { sessionId, producerId, change: 'closed' }),
      paused: (producerId, paused) => this.bus.send(node, 'pipe:change', { sessionId, producerId, change: paused ? 'paused' : 'resumed' }),
    });
    if (!piped) return null;
    return { sessionId, piped, source, owner };
  }

  private async onProduced(produced: Produced, from: string): Promise<void> {
    const live = await this.classes.find(produced.sessionId);
    if (live) await this.adopt(live, from, produced);
  }

  private async adopt(live: LiveClass, from: string, { piped, source, owner }: Omit<Produced, 'sessionId'>): Promise<void> {
    const link = this.link(live.sessionId, from);
    if (!link || link.imported(piped.producerId)) return;
    await live.adopt(from, owner, await link.import(piped), source);
  }

  private async onChat(sessionId: number, message: ChatMessage, from: string): Promise<void> {
    const live = await this.classes.find(sessionId);
    if (!live) return;
    live.addChat(message);
    // The home passes an edge's message on to the other edges.
    if (live.homeNode === null) for (const node of this.links.get(sessionId)?.keys() ?? []) if (node !== from) this.bus.send(node, 'class:chat', { sessionId, message });
  }

  // ---- the home ----

  private async home(sessionId: number): Promise<LiveClass | undefined> {
    const live = await this.classes.find(sessionId);
    return live?.homeNode === null ? live : undefined;
  }

  private async requireHome(sessionId: number): Promise<LiveClass> {
    const live = await this.home(sessionId);
    if (!live) throw new ServiceUnavailableException(`Session ${sessionId} is not live on this server`);
    return live;
  }

  /** An edge asks for the class's media: a pipe to it, and every producer of the class down it. */
  private async onFeed(sessionId: number, pipe: PipeAddress, edge: string): Promise<FeedReply> {
    const live = await this.requireHome(sessionId);
    const links = this.links.get(sessionId);
    if (!links) throw new NotFoundException(`Session ${sessionId} is not live on this server`);
    // An edge that opened the class again (it had closed it) starts afresh.
    links.get(edge)?.close();
    await live.dropNode(edge);
    const link = await PipeLink.open(live.room.sendRouter.router, this.listen);
    await link.connect(pipe);
    links.set(edge, link);
    const producers: FeedReply['producers'] = [];
    for (const peer of [...live.peers.values()]) {
      if (peer.remoteNode === edge) continue;
      for (const { producer, source } of [...peer.producers.values()]) {
        const produced = await this.export(sessionId, edge, link, producer, source, peer.info());
        if (produced) producers.push({ piped: produced.piped, source, owner: produced.owner });
      }
    }
    this.logger.log(`session ${sessionId}: piping its media to ${edge} (${producers.length} producers)`);
    return { pipe: link.address, producers, roster: [...live.peers.values()].filter((p) => p.remoteNode !== edge).map((p) => p.info()) };
  }

  // ---- an edge ----

  /** Opens the pipe from the class's home to this edge and takes in the media already there. */
  private async feed(live: LiveClass): Promise<void> {
    const home = live.homeNode!;
    if (!(await this.bus.isAlive(home))) {
      throw new ServiceUnavailableException({ code: 'CLASS_ON_OTHER_NODE', message: `Session ${live.sessionId}'s server ${home} is gone; try again in a moment` });
    }
    const link = await PipeLink.open(live.room.sendRouter.router, this.listen);
    this.links.get(live.sessionId)?.set(home, link);
    const reply = await this.bus.request<FeedReply>(home, 'pipe:feed', { sessionId: live.sessionId, pipe: link.address });
    await link.connect(reply.pipe);
    live.followRoster(reply.roster.map((peer) => ({ change: 'joined' as const, peer })));
    // Into this class directly: it is still opening, so the registry would wait for this very feed.
    for (const p of reply.producers) await this.adopt(live, home, p);
    this.logger.log(`session ${live.sessionId}: an edge of ${home} (${reply.producers.length} producers piped here)`);
  }

  /** The other end of a class's pipe let go of it: the home ended or left the class, or an edge closed. */
  private async onUnfeed(sessionId: number, from: string, ended: boolean): Promise<void> {
    const live = await this.classes.find(sessionId);
    if (!live) return;
    if (live.homeNode === from) return this.closeEdge(live, ended);
    this.links.get(sessionId)?.get(from)?.close();
    this.links.get(sessionId)?.delete(from);
    await live.dropNode(from);
  }

  /** An edge closes: its classrooms join again (at the class's new home, or here as an edge of it) unless it ended. */
  private async closeEdge(live: LiveClass, ended: boolean): Promise<void> {
    if (ended) await live.events.emit('ending');
    else for (const p of live.peers.values()) if (!p.remoteNode) this.notifier.toPeer(p.id, LiveEvent.Rebuild, { sessionId: live.sessionId });
    await this.classes.close(live.sessionId);
  }

  /** Every 2 s: a home forgets the edges that died; an edge whose home died or moved closes. */
  private async watch(): Promise<void> {
    this.load = (await this.pool.started()).reduce((n, slot) => n + slot.consumers, 0);
    if (this.links.size === 0) return;
    const alive = new Set((await this.bus.alive()).map((n) => n.id));
    for (const [sessionId, links] of [...this.links]) {
      const live = await this.classes.find(sessionId);
      if (!live) continue;
      if (live.homeNode !== null) {
        if (!alive.has(live.homeNode) || (await this.homes.owner(sessionId)) !== live.homeNode) {
          this.logger.warn(`session ${sessionId}: its home ${live.homeNode} is gone; its classrooms here join again`);
          await this.closeEdge(live, false);
        }
        continue;
      }
      for (const [node, link] of [...links]) {
        if (alive.has(node)) continue;
        this.logger.warn(`session ${sessionId}: its edge ${node} is gone`);
        link.close();
        links.delete(node);
        await live.dropNode(node);
      }
    }
  }
}
