import type { types } from 'mediasoup';

/** Where one end of a pipe receives: an address the other node reaches, and its UDP port. */
export interface PipeAddress {
  ip: string;
  port: number;
}

/** Where this node's pipe transports listen, and the address other nodes are told. */
export interface PipeListen {
  ip: string;
  announcedAddress?: string;
  portRange?: { min: number; max: number };
}

/** A producer as it crosses a pipe: what the other node's `import` needs to make the same producer there. */
export interface PipedProducer {
  producerId: string;
  kind: types.MediaKind;
  rtpParameters: types.RtpParameters;
  paused: boolean;
}

/** What the side that exported a producer tells the other of it afterwards. */
export interface PipeLinkEvents {
  closed(producerId: string): void;
  paused(producerId: string, paused: boolean): void;
}

/**
 * One end of a media pipe between this node's router and a router on another node (another process or machine):
 * a mediasoup PipeTransport connected to the other end's. What mediasoup's `pipeToRouter` does between two routers
 * of one process, done across nodes: `export` consumes a local producer on the pipe and returns what the other end
 * `import`s to make a producer with the same id (every simulcast layer crosses, so the far node's consumers still
 * pick their own). An exported producer's closing and pausing are reported through `events` for the other end to
 * follow. RTX and NACK are on: between machines the pipe can lose packets. The pipe is plain RTP (nodes talk over
 * the install's private network, as they do to PostgreSQL and Redis).
 */
export class PipeLink {
  private readonly exports = new Map<string, types.Consumer>();
  private readonly imports = new Map<string, types.Producer>();
  /** Closed by the other end before its import here had finished (messages are handled as they come). */
  private readonly closedEarly = new Set<string>();

  private constructor(
    readonly transport: types.PipeTransport,
    private readonly announced: string,
  ) {}

  static async open(router: types.Router, listen: PipeListen): Promise<PipeLink> {
    const transport = await router.createPipeTransport({
      listenInfo: { protocol: 'udp', ip: listen.ip, announcedAddress: listen.announcedAddress, portRange: listen.portRange },
      enableRtx: true,
      enableSrtp: false,
    });
    return new PipeLink(transport, listen.announcedAddress ?? listen.ip);
  }

  /** Where the other end sends to. */
  get address(): PipeAddress {
    return { ip: this.announced, port: this.transport.tuple.localPort };
  }

  async connect(remote: PipeAddress): Promise<void> {
    await this.transport.connect({ ip: remote.ip, port: remote.port });
  }

  get closed(): boolean {
    return this.transport.closed;
  }

  exported(producerId: string): boolean {
    return this.exports.has(producerId);
  }

  imported(producerId: string): types.Producer | undefined {
    return this.imports.get(producerId);
  }

  /** Sends a local producer down the pipe (once); null when it closed meanwhile. */
  async export(producer: types.Producer, events: PipeLinkEvents): Promise<PipedProducer | null> {
    if (this.exports.has(producer.id) || producer.closed || this.transport.closed) return null;
    const consumer = await this.transport.consume({ producerId: producer.id });
    this.exports.set(producer.id, consumer);
    consumer.observer.once('close', () => {
      this.exports.delete(producer.id);
      if (!this.transport.closed) events.closed(producer.id);
    });
    consumer.on('producerpause', () => events.paused(producer.id, true));
    consumer.on('producerresume', () => events.paused(producer.id, false));
    return { producerId: producer.id, kind: consumer.kind, rtpParameters: consumer.rtpParameters, paused: consumer.producerPaused };
  }

  /** Makes here the producer the other end exported; its id is the original's. */
  async import(piped: PipedProducer): Promise<types.Producer> {
    const producer = await this.transport.produce({ id: piped.producerId, kind: piped.kind, rtpParameters: piped.rtpParameters, paused: piped.paused });
    this.imports.set(producer.id, producer);
    producer.observer.once('close', () => this.imports.delete(producer.id));
    if (this.closedEarly.delete(producer.id)) producer.close();
    return producer;
  }

  /** The other end closed or paused a producer it exported: this end's copy follows. */
  async follow(producerId: string, change: 'closed' | 'paused' | 'resumed'): Promise<void> {
    const producer = this.imports.get(producerId);
    if (!producer) {
      if (change === 'closed') this.closedEarly.add(producerId);
      return;
    }
    if (change === 'closed') producer.close();
    else if (change === 'paused') await producer.pause();
    else await producer.resume();
  }

  /** Closes the pipe, and with it every producer imported through it and every consumer exporting down it. */
  close(): void {
    this.transport.close();
  }
}
