import { spawn, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdir, rm, statfs, writeFile } from 'node:fs/promises';
import { setPriority } from 'node:os';
import { join } from 'node:path';
import type { types } from 'mediasoup';
import type { MediaSource } from '../contracts/live.js';
import { recorderArgs, RENDITIONS, sdpFor, type EncodeOptions, type RecordedStream } from './media-args.js';
import { mediaSignature, partFolder, PartRestarts, progressShowsMedia, stderrAsks } from './recorder-parts.js';
import { plainRtpCapabilities, recordedStream } from './recorder-rtp.js';
import { RECORDER_NODE_ENV } from './orphans.js';
import { systemClock, type Clock, type Timer } from '../common/clock.js';

export interface RecorderSource {
  producer: types.Producer;
  source: MediaSource;
}

/** What `part-NNN/part.json` says: when a part started and what it records (chapters come from it). */
export interface PartMeta {
  index: number;
  startedAt: string;
  sources: MediaSource[];
}

export interface RecorderOptions {
  /** The recording's folder; parts go into `part-NNN` folders under it. */
  dir: string;
  /** The router the teacher's producers are on now (it changes when its worker dies). */
  router: () => types.Router;
  /** The number of the first part this recorder writes (after a server restart it continues the count). */
  firstPart: number;
  encode: EncodeOptions;
  ffmpegPath: string;
  /** This node's id, in ffmpeg's environment: after a crash, a node stops only its own recorders. */
  nodeId: string;
  /** Below this many free bytes on the recordings' disk the recorder stops rather than fill it. */
  minFreeBytes: () => number;
  log: { log(m: string): void; warn(m: string): void; error(m: string): void };
  onPart(meta: PartMeta): void;
  /** The recorder stopped for good before the class ended (the disk is full, ffmpeg can't run). */
  onFatal(reason: string): void;
  /** Time and timers of the restart window and of settling changes (default: the system's). */
  clock?: Clock;
}

interface Part {
  meta: PartMeta;
  ffmpeg: ChildProcess;
  transports: types.PlainTransport[];
  consumers: types.Consumer[];
  timers: NodeJS.Timeout[];
  stopping: boolean;
  exited: Promise<void>;
  /** Resolves when ffmpeg has written its first media (or has exited). */
  writing: Promise<void>;
  /** ffmpeg has written media: the part counts (a part that never does is removed when it ends). */
  wroteMedia: boolean;
  stderr: string[];
}

const RECORDER_NICE = 10;
/** After a stream's first media, how long the recorder waits for the teacher's other streams to start too. */
const MEDIA_SETTLE_MS = 500;
const MEDIA_POLL_MS = 200;
const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Records one live class: the teacher's microphone, camera and screen share are consumed over PlainTransports
 * into one ffmpeg, which writes H.264 + AAC HLS segments of a few seconds. Whenever what the teacher sends
 * changes (a camera turned off, a screen share started), or ffmpeg dies, the recorder starts a further part;
 * the parts are joined when the class ends, so the recording stays one continuous lesson.
 */
export class Recorder {
  private part?: Part;
  private nextIndex: number;
  private wanted: RecorderSource[] = [];
  private recordedSignature = '';
  private chain: Promise<void> = Promise.resolve();
  private debounce?: Timer;
  private diskTimer?: NodeJS.Timeout;
  /** When the next part may start after ffmpeg exited by itself (backing off after parts that wrote nothing). */
  private readonly restarts = new PartRestarts();
  private lastDecodeComplaint = 0;
  private stopped = false;
  /** Producers that have delivered media: a teacher whose WebRTC never connected gives the recorder nothing to record. */
  private readonly flowing = new WeakSet<types.Producer>();
  private readonly watching = new Set<types.Producer>();

  private readonly clock: Clock;

  constructor(private readonly o: RecorderOptions) {
    this.clock = o.clock ?? systemClock;
    this.nextIndex = o.firstPart;
    this.diskTimer = setInterval(() => void this.checkDisk(), 5000);
    this.diskTimer.unref();
  }

  /** The teacher's media now; paused or closed producers are left out. Changes settle for 300 ms first. */
  update(sources: RecorderSource[]): void {
    if (this.stopped) return;
    this.wanted = sources;
    for (const { producer } of sources) this.watchForMedia(producer);
    // The first part starts at once; later changes settle first (a teacher turning on camera and microphone).
    this.schedule(this.part ? 300 : 0);
  }

  private schedule(ms: number): void {
    this.clock.clearTimeout(this.debounce);
    this.debounce = this.clock.setTimeout(() => this.enqueue(() => this.apply()), ms);
  }

  /** The ffmpeg of the part being written (the fault tests kill it). */
  get ffmpegPid(): number | undefined {
    return this.part?.ffmpeg.pid;
  }

  get partsStarted(): number {
    return this.nextIndex - this.o.firstPart;
  }

  /** Ends the part being written cleanly (ffmpeg closes its last segment) and records nothing more. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.clock.clearTimeout(this.debounce);
    clearInterval(this.diskTimer);
    this.enqueue(() => this.endPart());
    await this.chain;
  }

  private enqueue(step: () => Promise<void>): void {
    this.chain = this.chain.then(step).catch((e: Error) => this.o.log.error(`recorder: ${e.message}`));
  }

  /** Sources that are live and have delivered media. */
  private active(): RecorderSource[] {
    return this.wanted.filter((s) => !s.producer.closed && !s.producer.paused && this.flowing.has(s.producer));
  }

  /**
   * A producer counts once RTP has reached it. Until then ffmpeg is not started for it: with no packets it would
   * probe for 20 s, fail ("video_size 0x0") and leave an empty part, again and again for as long as the class
   * lasts. Its stats are polled while it waits (mediasoup scores an audio stream only with its first receiver
   * report, seconds later, so the score is no signal of the first packet).
   */
  private watchForMedia(producer: types.Producer): void {
    if (this.flowing.has(producer) || this.watching.has(producer) || producer.closed) return;
    this.watching.add(producer);
    const poll = setInterval(() => {
      if (producer.closed || this.stopped) return stop();
      void producer.getStats().then(
        (stats) => {
          if (!stats.some((s) => s.packetCount > 0) || this.flowing.has(producer)) return;
          stop();
          this.flowing.add(producer);
          // Camera and microphone start within moments of each other: let the others arrive before a part starts.
          if (this.wanted.some((w) => w.producer === producer)) this.schedule(MEDIA_SETTLE_MS);
        },
        () => undefined, // closed meanwhile
      );
    }, MEDIA_POLL_MS);
    const stop = () => {
      clearInterval(poll);
      this.watching.delete(producer);
    };
  }

  private async apply(): Promise<void> {
    if (this.stopped) return;
    const sources = this.active();
    const sig = mediaSignature(sources);
    if (this.part && !this.part.stopping && sig === this.recordedSignature) return;
    this.recordedSignature = sig;
    const old = this.part;
    this.part = undefined;
    if (sources.length === 0 || this.stopped || !(await this.checkDisk())) {
      await this.endPart(old);
      return;
    }
    if (this.restarts.backOffLeft(this.clock.now().getTime()) > 0) {
      // Backing off after parts that wrote nothing; the next update or retry decides again.
      this.recordedSignature = '';
      this.part = old;
      return;
    }
    // Make before break: the part being written goes on until the next one writes, so a change of media
    // (a screen share started, the camera turned off) costs no more than the new ffmpeg's first frame.
    const next = await this.startPart(sources);
    if (old) {
      if (next) await Promise.race([next.writing, delay(8000)]);
      await this.endPart(old);
    }
  }

  private async startPart(sources: RecorderSource[]): Promise<Part | undefined> {
    const index = this.nextIndex++;
    const dir = join(this.o.dir, partFolder(index));
    await mkdir(dir, { recursive: true });
    const router = this.o.router();
    const transports: types.PlainTransport[] = [];
    const consumers: types.Consumer[] = [];
    const streams: RecordedStream[] = [];
    try {
      for (const { producer, source } of sources) {
        const [rtpPort, rtcpPort] = await freePortPair();
        const transport = await router.createPlainTransport({ listenInfo: { protocol: 'udp', ip: '127.0.0.1' }, rtcpMux: false, comedia: false });
        transports.push(transport);
        await transport.connect({ ip: '127.0.0.1', port: rtpPort, rtcpPort });
        const rtpCapabilities = plainRtpCapabilities(router.rtpCapabilities.codecs!, producer);
        const consumer = await transport.consume({ producerId: producer.id, rtpCapabilities, paused: true });
        consumers.push(consumer);
        streams.push(recordedStream(source, consumer, rtpPort, rtcpPort));
      }
    } catch (e) {
      for (const t of transports) t.close();
      // The producer closed while the part was being set up: the next update decides again.
      this.o.log.warn(`recorder: part ${index} could not start: ${(e as Error).message}`);
      this.recordedSignature = '';
      return undefined;
    }
    for (const rendition of RENDITIONS) await mkdir(join(dir, rendition), { recursive: true });
    const sdpPath = join(dir, 'input.sdp');
    await writeFile(sdpPath, sdpFor(streams));
    const meta: PartMeta = { index, startedAt: new Date().toISOString(), sources: streams.map((s) => s.source) };
    await writeFile(join(dir, 'part.json'), JSON.stringify(meta));
    const ffmpeg = spawn(this.o.ffmpegPath, recorderArgs(sdpPath, dir, streams, this.o.encode), {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, [RECORDER_NODE_ENV]: this.o.nodeId },
    });
    // The live class comes first: on a busy machine the encoder yields to signaling and forwarding (a join storm
    // of 200 classrooms took ten times longer with the recorder at the same priority).
    if (ffmpeg.pid) {
      try {
        setPriority(ffmpeg.pid, RECORDER_NICE);
      } catch {
        // not allowed here: it runs at the server's priority
      }
    }
    const exited = new Promise<void>((r) => ffmpeg.once('close', () => r()));
    let wrote: () => void = () => undefined;
    const writing = new Promise<void>((r) => (wrote = r));
    void exited.then(wrote);
    const part: Part = { meta, ffmpeg, transports, consumers, timers: [], stopping: false, stderr: [], exited, writing, wroteMedia: false };
    this.part = part;
    ffmpeg.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      if (part.wroteMedia || !progressShowsMedia(chunk)) return;
      part.wroteMedia = true;
      this.restarts.wrote();
      this.o.onPart(meta);
      wrote();
    });
    ffmpeg.stderr.setEncoding('utf8').on('data', (chunk: string) => this.onStderr(part, chunk));
    ffmpeg.once('error', (e) => part.stderr.push(e.message));
    void part.exited.then(() => this.onExit(part));
    this.o.log.log(`recorder: part ${index} (${meta.sources.join(' + ')}) into ${dir}`);
    // ffmpeg binds its ports while it reads the SDP; then the media flows, starting at a key frame.
    part.timers.push(
      setTimeout(() => {
        for (const c of consumers) void c.resume().catch(() => undefined);
        this.requestKeyFrames(part);
      }, 250),
    );
    for (const ms of [1000, 1600, 2500]) part.timers.push(setTimeout(() => this.requestKeyFrames(part), ms));
    // Then now and again, so that a lost packet costs seconds at most.
    const every = setInterval(() => this.requestKeyFrames(part), 10_000);
    part.timers.push(every);
    return part;
  }

  private requestKeyFrames(part: Part): void {
    for (const c of part.consumers) if (c.kind === 'video' && !c.closed) void c.requestKeyFrame().catch(() => undefined);
  }

  private onStderr(part: Part, chunk: string): void {
    for (const line of chunk.split('\n')) {
      if (!line.trim()) continue;
      part.stderr.push(line);
      if (part.stderr.length > 30) part.stderr.shift();
      const asks = stderrAsks(line);
      if (asks === 'stop') void this.fatal('The disk holding the recordings is full: the recorder stopped');
      // A decoder that lost its reference frame waits for the next key frame: ask for one (at most once a second).
      else if (asks === 'key frame' && Date.now() - this.lastDecodeComplaint > 1000) {
        this.lastDecodeComplaint = Date.now();
        this.requestKeyFrames(part);
      }
    }
  }

  private onExit(part: Part): void {
    for (const t of part.timers) clearTimeout(t);
    for (const t of part.transports) t.close();
    if (!part.wroteMedia) void this.removeEmptyPart(part);
    if (part.stopping || this.stopped) return;
    // ffmpeg died by itself: continue as a further part, unless it keeps dying. A part that wrote nothing waits
    // longer each time in a row: whatever stopped it will likely stop the next one too.
    const retryIn = this.restarts.exited(part.wroteMedia, this.clock.now().getTime());
    const why = part.stderr.slice(-3).join(' | ') || `exit code ${part.ffmpeg.exitCode ?? part.ffmpeg.signalCode}`;
    if (retryIn === null) {
      void this.fatal(`The recorder failed 5 times in a minute and stopped (${why})`);
      return;
    }
    this.o.log.warn(`recorder: ffmpeg of part ${part.meta.index} exited (${why}); starting a further part in ${retryIn} ms`);
    if (this.part === part) this.part = undefined;
    this.recordedSignature = '';
    this.clock.setTimeout(() => this.enqueue(() => this.apply()), retryIn);
  }

  /** A part that wrote no media leaves nothing behind (its folder had only the SDP and its description). */
  private async removeEmptyPart(part: Part): Promise<void> {
    await rm(join(this.o.dir, partFolder(part.meta.index)), { recursive: true, force: true }).catch(() => undefined);
  }

  private async endPart(part = this.part): Promise<void> {
    if (!part) return;
    if (this.part === part) this.part = undefined;
    part.stopping = true;
    for (const t of part.timers) clearTimeout(t);
    // SIGINT: ffmpeg finishes the segment in hand and closes the playlist.
    part.ffmpeg.kill('SIGINT');
    const killer = setTimeout(() => part.ffmpeg.kill('SIGKILL'), 5000);
    await part.exited;
    clearTimeout(killer);
    for (const t of part.transports) t.close();
  }

  private async checkDisk(): Promise<boolean> {
    if (this.stopped) return false;
    let free: number;
    try {
      await mkdir(this.o.dir, { recursive: true });
      const s = await statfs(this.o.dir);
      free = s.bavail * s.bsize;
    } catch (e) {
      await this.fatal(`The recordings folder can't be used: ${(e as Error).message}`);
      return false;
    }
    if (free >= this.o.minFreeBytes()) return true;
    await this.fatal(`The disk holding the recordings is full (${Math.round(free / 1048576)} MB free): the recorder stopped`);
    return false;
  }

  private async fatal(reason: string): Promise<void> {
    if (this.stopped) return;
    this.o.log.error(`recorder: ${reason}`);
    this.stopped = true;
    this.clock.clearTimeout(this.debounce);
    clearInterval(this.diskTimer);
    this.enqueue(() => this.endPart());
    this.o.onFatal(reason);
  }
}

/**
 * A free even port and the one after it, for ffmpeg's RTP and RTCP (ffmpeg binds RTP's port + 1 for RTCP
 * whatever the SDP says). Both are bound to test them and released: ffmpeg binds them a moment later.
 */
async function freePortPair(): Promise<[number, number]> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const rtp = 2 * (10_000 + Math.floor(Math.random() * 14_000)); // 20000–47998, even
    const sockets: ReturnType<typeof createSocket>[] = [];
    try {
      for (const port of [rtp, rtp + 1]) {
        const s = createSocket('udp4');
        sockets.push(s);
        await new Promise<void>((res, rej) => {
          s.once('error', rej);
          s.bind(port, '127.0.0.1', () => res());
        });
      }
      return [rtp, rtp + 1];
    } catch {
      // taken: try another pair
    } finally {
      for (const s of sockets) s.close();
    }
  }
  throw new Error('no free UDP port pair for the recorder');
}
