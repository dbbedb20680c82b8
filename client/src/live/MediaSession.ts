import { Device, type types } from 'mediasoup-client';
import { LiveMessage, type MediaSource, type ProducerInfo, type SetLayersRequest } from '@contracts/live';
import { MediaAccessError, withAudioNack } from './media';
import { LiveRequestError, type LiveRequester } from './signaling';
import { isTeacherCamera, Stale, type LayerChoice, type LiveStore, type RemoteTrack } from './LiveStore';
import { LossMeter } from './LossMeter';

/** How long a classroom's receive transport may take to connect before its media counts as unreachable. */
const MEDIA_CONNECT_MS = 15_000;
const QUALITY_SAMPLE_MS = 2000;
const SPATIAL_LAYER: Record<LayerChoice, number> = { auto: 2, medium: 1, low: 0 };

/** The teacher-video layer `layer` asks the server for, on one consumer. */
export function preferredLayers(consumerId: string, layer: LayerChoice): SetLayersRequest {
  return { consumerId, spatialLayer: SPATIAL_LAYER[layer] };
}

function isMediaSource(value: unknown): value is MediaSource {
  return value === 'camera' || value === 'mic' || value === 'screen';
}

export interface MediaSessionDeps {
  store: LiveStore;
  request: LiveRequester;
  /** Own screen share ended (the browser's track, or the server closed its producer): stop sharing. */
  screenEnded: () => void;
}

/**
 * Everything built on one join: the mediasoup Device, the send and receive transports, own producers and the
 * consumers of everyone else's media. A rebuild or a reconnect closes it and joins again with a new one; work
 * still in flight for a closed session finds `closed` set and drops what it made.
 */
export class MediaSession {
  private readonly deps: MediaSessionDeps;
  private isClosed = false;
  private device: Device | null = null;
  private recv: types.Transport | null = null;
  private send: Promise<types.Transport> | null = null;
  private readonly transports: types.Transport[] = [];
  /** Remote producers asked for or consumed (a producer:closed removes its id, and an answer in flight is dropped). */
  private readonly consuming = new Set<string>();
  /** Producers announced before the receive transport was ready. */
  private pending: ProducerInfo[] = [];
  private readonly consumers = new Map<string, types.Consumer>();
  private readonly producers = new Map<MediaSource, types.Producer>();
  private readonly producing = new Set<MediaSource>();
  private readonly restartingIce = new Set<string>();
  private readonly timers: number[] = [];
  private readonly lossMeter = new LossMeter();
  /** A classroom's talk-back was started on this join. */
  talkback = false;

  constructor(deps: MediaSessionDeps) {
    this.deps = deps;
  }

  get closed(): boolean {
    return this.isClosed;
  }

  /** Joined and receiving: own media can be sent from here on. */
  get ready(): boolean {
    return this.recv !== null;
  }

  private get store(): LiveStore {
    return this.deps.store;
  }

  /** Loads the Device with the router's RTP capabilities (from the join). */
  async load(routerRtpCapabilities: unknown): Promise<void> {
    const device = new Device();
    await device.load({ routerRtpCapabilities: routerRtpCapabilities as types.RtpCapabilities });
    if (!this.isClosed) this.device = device;
  }

  /** Opens the receive transport; the class's media already there is consumed by `consumePending()`. */
  async openReceiving(producers: ProducerInfo[]): Promise<void> {
    this.pending.push(...producers);
    this.recv = await this.createTransport('recv');
  }

  /** Once receiving: everything announced so far. */
  consumePending(): void {
    for (const info of this.pending.splice(0)) void this.consume(info);
  }

  close(): void {
    this.isClosed = true;
    this.timers.forEach((timer) => window.clearInterval(timer));
    this.consumers.forEach((consumer) => consumer.close());
    this.producers.forEach((producer) => producer.close());
    this.transports.forEach((transport) => transport.close());
    if (this.store.state.remotes.length > 0) this.store.set({ remotes: [] });
  }

  // ---- transports ------------------------------------------------------------------------------------------

  private async createTransport(direction: 'send' | 'recv'): Promise<types.Transport> {
    const info = await this.deps.request(LiveMessage.CreateTransport, { direction });
    if (this.isClosed || !this.device) throw new Stale();
    const options: types.TransportOptions = {
      id: info.id,
      iceParameters: info.iceParameters as types.IceParameters,
      iceCandidates: info.iceCandidates as types.IceCandidate[],
      dtlsParameters: info.dtlsParameters as types.DtlsParameters,
      iceServers: info.iceServers,
    };
    const transport = direction === 'send' ? this.device.createSendTransport(options) : this.device.createRecvTransport(options);
    this.transports.push(transport);

    transport.on('connect', ({ dtlsParameters }, callback, errback) => {
      this.deps.request(LiveMessage.ConnectTransport, { transportId: transport.id, dtlsParameters }).then(() => callback(), errback);
    });
    const receiving = direction === 'recv' && this.store.state.role !== 'teacher';
    transport.on('connectionstatechange', (state) => {
      if (receiving && !this.isClosed && state === 'connected' && this.store.state.mediaUnreachable) {
        this.store.set({ mediaUnreachable: false });
      }
      if (state !== 'disconnected' && state !== 'failed') return;
      void this.restartIce(transport);
      if (receiving && !this.isClosed) {
        this.store.set({ quality: 'poor', mediaUnreachable: this.store.state.mediaUnreachable || state === 'failed' });
      }
    });
    if (receiving) {
      setTimeout(() => {
        if (!this.isClosed && !transport.closed && transport.connectionState !== 'connected') this.store.set({ mediaUnreachable: true });
      }, MEDIA_CONNECT_MS);
    }
    if (direction === 'send') {
      transport.on('produce', ({ kind, rtpParameters, appData }, callback, errback) => {
        // produce() below always names its source.
        const { source } = appData;
        if (!isMediaSource(source)) return errback(new Error(`A ${kind} producer without its source`));
        this.deps.request(LiveMessage.Produce, { transportId: transport.id, kind, rtpParameters, source }).then(
          ({ producerId }) => callback({ id: producerId }),
          errback,
        );
      });
    }
    return transport;
  }

  private async restartIce(transport: types.Transport): Promise<void> {
    if (this.restartingIce.has(transport.id)) return;
    this.restartingIce.add(transport.id);
    try {
      const { iceParameters } = await this.deps.request(LiveMessage.RestartIce, { transportId: transport.id });
      if (!this.isClosed && !transport.closed) await transport.restartIce({ iceParameters: iceParameters as types.IceParameters });
    } catch {
      // Nothing to tell: a dead socket rebuilds everything on reconnect, a live one lets the next change retry.
    } finally {
      this.restartingIce.delete(transport.id);
    }
  }

  // ---- receiving -------------------------------------------------------------------------------------------

  async consume(info: ProducerInfo): Promise<void> {
    if (this.isClosed || info.peer.peerId === this.store.state.peerId || this.consuming.has(info.producerId)) return;
    if (!this.recv || !this.device) {
      if (!this.pending.some((p) => p.producerId === info.producerId)) this.pending.push(info);
      return;
    }
    const recv = this.recv;
    this.consuming.add(info.producerId);
    // Still wanted: same join, and no producer:closed meanwhile.
    const wanted = () => !this.isClosed && this.consuming.has(info.producerId);
    try {
      const data = await this.deps.request(LiveMessage.Consume, {
        producerId: info.producerId,
        rtpCapabilities: withAudioNack(this.device.rtpCapabilities),
      });
      if (!wanted()) return;
      const consumer = await recv.consume({
        id: data.id,
        producerId: data.producerId,
        kind: data.kind,
        rtpParameters: data.rtpParameters as types.RtpParameters,
        // One stream per person's camera and microphone keeps them in lip sync.
        streamId: `${data.peer.peerId}-${data.source === 'screen' ? 'screen' : 'av'}`,
        appData: { source: data.source },
      });
      if (!wanted()) {
        consumer.close();
        return;
      }
      this.consumers.set(consumer.id, consumer);
      consumer.on('transportclose', () => this.consumers.delete(consumer.id));
      consumer.on('trackended', () => this.dropConsumer(consumer.id));
      const remote: RemoteTrack = {
        consumerId: consumer.id,
        producerId: data.producerId,
        kind: data.kind,
        source: data.source,
        peer: data.peer,
        track: consumer.track,
        paused: data.producerPaused,
      };
      this.store.set({ remotes: [...this.store.state.remotes.filter((r) => r.producerId !== remote.producerId), remote] });
      await this.deps.request(LiveMessage.ResumeConsumer, { consumerId: consumer.id });
      const { layer } = this.store.state;
      if (isTeacherCamera(remote) && layer !== 'auto') {
        await this.deps.request(LiveMessage.SetPreferredLayers, preferredLayers(remote.consumerId, layer));
      }
    } catch (error) {
      if (this.isClosed) return;
      this.consuming.delete(info.producerId);
      // The producer went away before it could be consumed (its producer:closed is on the way): nothing to say.
      if (error instanceof LiveRequestError && error.status === 404) return;
      this.store.report(error);
    }
  }

  dropConsumer(consumerId: string): void {
    const consumer = this.consumers.get(consumerId);
    if (consumer) {
      this.consumers.delete(consumerId);
      this.consuming.delete(consumer.producerId);
      consumer.close();
    }
    const { remotes } = this.store.state;
    if (remotes.some((r) => r.consumerId === consumerId)) this.store.set({ remotes: remotes.filter((r) => r.consumerId !== consumerId) });
  }

  /** A producer closed: its consumers go. */
  producerClosed(producerId: string): void {
    this.consuming.delete(producerId);
    this.pending = this.pending.filter((p) => p.producerId !== producerId);
    for (const remote of this.store.state.remotes.filter((r) => r.producerId === producerId)) this.dropConsumer(remote.consumerId);
    // One of ours, closed by the server (a classroom's floor taken back).
    for (const [source, producer] of this.producers) {
      if (producer.id !== producerId) continue;
      this.producers.delete(source);
      producer.close();
      if (source === 'screen') this.deps.screenEnded();
    }
  }

  /** A classroom samples how the teacher's camera arrives, every QUALITY_SAMPLE_MS. */
  watchQuality(): void {
    this.timers.push(window.setInterval(() => void this.sampleQuality(), QUALITY_SAMPLE_MS));
  }

  private async sampleQuality(): Promise<void> {
    const remote = this.store.state.remotes.find(isTeacherCamera);
    const consumer = remote && this.consumers.get(remote.consumerId);
    if (!consumer || !this.recv) {
      this.lossMeter.reset();
      if (this.store.state.quality !== 'unknown') this.store.set({ quality: 'unknown' });
      return;
    }
    const quality = await this.lossMeter.sample(consumer, this.recv);
    if (quality !== null && !this.isClosed && quality !== this.store.state.quality) this.store.set({ quality });
  }

  // ---- sending ---------------------------------------------------------------------------------------------

  /** Own producer of `source`, if one is on. */
  producer(source: MediaSource): types.Producer | undefined {
    return this.producers.get(source);
  }

  private sendTransport(): Promise<types.Transport> {
    this.send ??= this.createTransport('send');
    this.send.catch(() => {
      // Asked again next time.
      if (!this.isClosed) this.send = null;
    });
    return this.send;
  }

  /** Sends one own track; `wanted` is asked again once it's on, and a no closes it at once. */
  async produce(
    source: MediaSource,
    track: MediaStreamTrack,
    options: Pick<types.ProducerOptions, 'encodings' | 'codecOptions'> = {},
    wanted: () => boolean = () => true,
  ): Promise<types.Producer | null> {
    const existing = this.producers.get(source);
    if (existing || this.producing.has(source)) return existing ?? null;
    this.producing.add(source);
    try {
      const transport = await this.sendTransport();
      if (this.isClosed) return null;
      const producer = await transport.produce({ track, stopTracks: false, appData: { source }, ...options });
      if (this.isClosed) {
        producer.close();
        return null;
      }
      if (!wanted()) {
        producer.close();
        await this.deps.request(LiveMessage.CloseProducer, { producerId: producer.id }).catch(() => undefined);
        return null;
      }
      this.producers.set(source, producer);
      producer.on('transportclose', () => this.producers.delete(source));
      producer.on('trackended', () => {
        if (source === 'screen') this.deps.screenEnded();
        else this.store.report(new MediaAccessError('failed', source === 'camera' ? 'camera' : 'mic'));
      });
      return producer;
    } finally {
      this.producing.delete(source);
    }
  }

  async closeProducer(source: MediaSource): Promise<void> {
    const producer = this.producers.get(source);
    if (!producer) return;
    this.producers.delete(source);
    producer.close();
    // The server may have closed it already (a floor taken back): nothing to report then.
    await this.deps.request(LiveMessage.CloseProducer, { producerId: producer.id }).catch(() => undefined);
  }
}
