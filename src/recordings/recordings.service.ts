import {
  ConflictException,
  ForbiddenException,
  GoneException,
  Inject,
  Injectable,
  Logger,
  NotFoundException,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { mkdir, readdir, rm, statfs } from 'node:fs/promises';
import { join } from 'node:path';
import type { types } from 'mediasoup';
import type { ClassSessionDto, Page, RecordingDto, RecordingQuery, RecordingStorageDto } from '../contracts/api.js';
import type { AuthUser } from '../auth/auth-user.js';
import { SessionsService } from '../scheduling/sessions.service.js';
import { SessionLifecycle } from '../scheduling/session-lifecycle.js';
import { managesSession } from '../scheduling/session.policy.js';
import { joinPlaylists, masterPlaylist } from './hls.js';
import { reapOrphanRecorders } from './orphans.js';
import { finalizeRecording, folderSize, MP4_FILE, POSTER_FILE, readParts } from './processor.js';
import { Recorder, type RecorderSource } from './recorder.js';
import { RecordingRepository } from './recording.repository.js';
import { RENDITION_INFO, RENDITIONS, type EncodeOptions, type Rendition } from './media-args.js';
import { toRecordingDto } from './recordings.dto.js';
import { CLOCK, type Clock, type Timer } from '../common/clock.js';

export const RECORDING_OPTIONS = Symbol('RECORDING_OPTIONS');

export interface RecordingOptions {
  dir: string;
  retentionDays: number;
  minFreeBytes: number;
  encode: EncodeOptions;
  ffmpegPath: string;
  ffprobePath: string;
  /** This node's name: the recorders it starts carry it, and after a crash it stops only its own. */
  nodeId: string;
}

interface Active {
  recordingId: number;
  recorder: Recorder;
}

const PART_NAME = /^part-\d{3,}$/;

/**
 * The highest part number among a recording's folders (0 for none): a restarted recorder continues after it. Not
 * their count: parts that wrote nothing are removed, so with part-001 and part-003 left the count would start
 * part-003 again and overwrite it.
 */
export function lastPartNumber(names: string[]): number {
  return Math.max(0, ...names.filter((n) => PART_NAME.test(n)).map((n) => Number(n.slice('part-'.length))));
}
const SEGMENT_NAME = /^seg-\d{5,}\.ts$/;
/** A class left 'live' by a server that went away is processed this long after its scheduled end. */
const ORPHAN_AFTER_MS = 10 * 60_000;

/**
 * Recordings of live classes: a recorder per live class (started and fed by the live service), the processing
 * that turns parts into a VOD playlist and an MP4 once the class ends (one at a time: it is CPU work on the same
 * machine as the classes), who may watch, where each viewer stopped, and how long recordings are kept.
 */
@Injectable()
export class RecordingsService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(RecordingsService.name);
  private readonly active = new Map<number, Active>();
  private readonly starting = new Map<number, Promise<number | null>>();
  private queue: Promise<void> = Promise.resolve();
  private readonly queued = new Set<number>();
  private timer?: Timer;

  constructor(
    private readonly recordings: RecordingRepository,
    private readonly sessions: SessionsService,
    private readonly lifecycle: SessionLifecycle,
    @Inject(RECORDING_OPTIONS) private readonly options: RecordingOptions,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await mkdir(this.options.dir, { recursive: true });
    const reaped = await reapOrphanRecorders(this.options.dir, this.options.nodeId);
    if (reaped.length) this.logger.warn(`stopped ${reaped.length} recorder(s) left running by a previous server: ${reaped.join(', ')}`);
    await this.sweep();
    this.timer = this.clock.setInterval(() => void this.sweep().catch((e: Error) => this.logger.error(`sweep: ${e.message}`)), 5 * 60_000);
  }

  /** Shutting down: each recorder ends its part cleanly; the class continues as a further part after a restart. */
  async onModuleDestroy(): Promise<void> {
    this.clock.clearInterval(this.timer);
    await Promise.all([...this.active.values()].map((a) => a.recorder.stop()));
    this.active.clear();
  }

  folder(id: number): string {
    return join(this.options.dir, String(id));
  }

  // ---- the live side ----

  /**
   * A live class opened: record it if its session says so. `router` is where the teacher's media is now.
   * Resolves to the recording's id (null when not recorded); a second call for the same class waits for the first.
   */
  classStarted(sessionId: number, router: () => types.Router, sources: () => RecorderSource[]): Promise<number | null> {
    let starting = this.starting.get(sessionId);
    if (!starting) {
      starting = this.startRecorder(sessionId, router, sources).finally(() => this.starting.delete(sessionId));
      this.starting.set(sessionId, starting);
    }
    return starting;
  }

  /** The recording of a live class, once its recorder has started (null when it isn't recorded). */
  async recordingOf(sessionId: number): Promise<number | null> {
    await this.starting.get(sessionId)?.catch(() => null);
    return this.active.get(sessionId)?.recordingId ?? null;
  }

  private async startRecorder(sessionId: number, router: () => types.Router, sources: () => RecorderSource[]): Promise<number | null> {
    const running = this.active.get(sessionId);
    if (running) return running.recordingId;
    const core = await this.sessions.core(sessionId);
    if (!core?.record) return null;
    const rec = await this.recordings.open(sessionId);
    if (rec.status !== 'recording') {
      this.logger.warn(`session ${sessionId}: its recording ${rec.id} is ${rec.status}; not recording again`);
      return null;
    }
    const dir = this.folder(rec.id);
    const existing = lastPartNumber(await readdir(dir).catch(() => [] as string[]));
    const recorder = new Recorder({
      dir,
      router,
      firstPart: existing + 1,
      encode: this.options.encode,
      ffmpegPath: this.options.ffmpegPath,
      nodeId: this.options.nodeId,
      clock: this.clock,
      minFreeBytes: () => this.options.minFreeBytes,
      log: { log: (m) => this.logger.log(`session ${sessionId}: ${m}`), warn: (m) => this.logger.warn(`session ${sessionId}: ${m}`), error: (m) => this.logger.error(`session ${sessionId}: ${m}`) },
      onPart: () => void this.recordings.addPart(rec.id).catch((e: Error) => this.logger.error(e.message)),
      onFatal: (reason) => void this.recordings.setError(rec.id, reason).catch((e: Error) => this.logger.error(e.message)),
    });
    this.active.set(sessionId, { recordingId: rec.id, recorder });
    recorder.update(sources());
    if (!rec.created) this.logger.log(`session ${sessionId}: recording ${rec.id} continues with part ${existing + 1}`);
    return rec.id;
  }

  /** What the teacher sends now (the live service calls this whenever it changes). */
  teacherMedia(sessionId: number, sources: RecorderSource[]): void {
    this.active.get(sessionId)?.recorder.update(sources);
  }

  /** The recorder of a live class (tests kill its ffmpeg). */
  recorderOf(sessionId: number): Recorder | undefined {
    return this.active.get(sessionId)?.recorder;
  }

  /** The class ended: the recorder closes its last segment and processing starts. */
  async classEnded(sessionId: number): Promise<void> {
    const a = this.active.get(sessionId);
    if (!a) return;
    this.active.delete(sessionId);
    await a.recorder.stop();
    if (await this.recordings.transition(a.recordingId, ['recording'], 'processing', { endedAt: new Date() })) this.enqueue(a.recordingId);
  }

  // ---- processing ----

  private enqueue(id: number): void {
    if (this.queued.has(id)) return;
    this.queued.add(id);
    this.queue = this.queue.then(() => this.process(id)).finally(() => this.queued.delete(id));
  }

  /** Resolves when everything queued so far has been processed. */
  idle(): Promise<void> {
    return this.queue;
  }

  private async process(id: number): Promise<void> {
    const dir = this.folder(id);
    let last = 0;
    try {
      const result = await finalizeRecording(dir, this.options, (pct) => {
        if (pct - last < 5 && pct < 100) return;
        last = pct;
        void this.recordings.setProgress(id, pct).catch(() => undefined);
      });
      await this.recordings.markReady(id, result);
      this.logger.log(`recording ${id} ready: ${result.durationSeconds} s, ${Math.round(result.sizeBytes / 1048576)} MB`);
    } catch (e) {
      const reason = (e as Error).message;
      this.logger.error(`recording ${id} failed: ${reason}`);
      await this.recordings.transition(id, ['processing'], 'failed', { error: reason });
      await this.recordings.setSize(id, await folderSize(dir));
    }
  }

  async retry(actor: AuthUser, id: number): Promise<RecordingDto> {
    const rec = await this.manageable(actor, id);
    if (rec.status !== 'failed') throw new ConflictException(`Recording ${id} is ${rec.status}; only a failed recording can be retried`);
    if (await this.recordings.transition(id, ['failed'], 'processing', { error: null })) this.enqueue(id);
    return this.get(actor, id);
  }

  async remove(actor: AuthUser, id: number): Promise<void> {
    const rec = await this.manageable(actor, id);
    if (rec.status === 'recording' || rec.status === 'processing') throw new ConflictException(`Recording ${id} is still ${rec.status === 'recording' ? 'being recorded' : 'being processed'}`);
    if (rec.status === 'deleted') return;
    await this.deleteFiles(id);
  }

  /** Its files go; its row stays, marked deleted, so a link to it answers 410 rather than 404. */
  private async deleteFiles(id: number): Promise<void> {
    await rm(this.folder(id), { recursive: true, force: true });
    await this.recordings.markDeleted(id);
  }

  /**
   * Every few minutes (and at boot): processing a server restart interrupted is started again; recordings of
   * classes that ended without this server (it went away mid-class) are processed; expired ones are deleted.
   */
  async sweep(now = new Date()): Promise<void> {
    for (const r of await this.recordings.idsIn(['processing'])) this.enqueue(r.id);
    for (const r of await this.recordings.idsIn(['recording'])) {
      if (this.active.has(r.sessionId)) continue;
      if (r.sessionStatus === 'live' && now.getTime() < r.endsAt.getTime() + ORPHAN_AFTER_MS) continue;
      if (await this.recordings.transition(r.id, ['recording'], 'processing', { endedAt: now })) this.enqueue(r.id);
    }
    if (this.options.retentionDays > 0) {
      for (const id of await this.recordings.expired(this.options.retentionDays)) {
        await this.deleteFiles(id);
        this.logger.log(`recording ${id} deleted: older than ${this.options.retentionDays} days`);
      }
    }
  }

  // ---- viewing ----

  async list(actor: AuthUser, q: RecordingQuery): Promise<Page<RecordingDto>> {
    const page = q.page ?? 1;
    const pageSize = q.pageSize ?? 20;
    const { items: rows, total } = await this.recordings.find(actor, q, page, pageSize);
    const items = rows.map(toRecordingDto);
    return { items, total, page, pageSize };
  }

  async get(actor: AuthUser, id: number): Promise<RecordingDto> {
    const row = await this.recordings.findVisible(actor, id);
    if (!row) throw new NotFoundException(`Recording ${id} does not exist`);
    return toRecordingDto(row);
  }

  async ofSession(actor: AuthUser, sessionId: number): Promise<RecordingDto> {
    const items = (await this.recordings.find(actor, { sessionId })).items.map(toRecordingDto);
    if (!items[0]) throw new NotFoundException(`Session ${sessionId} has no recording you can see`);
    return items[0];
  }

  /** A recording whose media may be fetched: visible and not deleted. */
  private async watchable(actor: AuthUser, id: number): Promise<RecordingDto> {
    const rec = await this.get(actor, id);
    if (rec.status === 'deleted') throw new GoneException(`Recording ${id} was deleted`);
    return rec;
  }

  /**
   * The master playlist: the 720p rendition, and those of 360p and of the voice alone where the recording has
   * them, so that the player picks what the viewer's link carries (hls.js measures it as it loads segments).
   */
  async masterPlaylist(actor: AuthUser, id: number): Promise<{ text: string; live: boolean }> {
    const rec = await this.watchable(actor, id);
    const dir = this.folder(id);
    const variants = [];
    for (const rendition of ['main', ...RENDITIONS] as const) {
      const parts = await readParts(dir, false, rendition === 'main' ? undefined : rendition);
      if (parts.some((p) => p.segments.length > 0)) variants.push({ uri: rendition === 'main' ? 'index.m3u8' : `${rendition}.m3u8`, ...RENDITION_INFO[rendition] });
    }
    const live = rec.status === 'recording';
    if (variants.length === 0) {
      throw new NotFoundException(live ? `Recording ${id} has no video yet: try again in a few seconds` : `Recording ${id} holds no video`);
    }
    return { text: masterPlaylist(variants), live };
  }

  /** The HLS playlist over every part: EVENT (growing, with rewind) while recording, VOD afterwards. */
  async playlist(actor: AuthUser, id: number, rendition?: Rendition): Promise<{ text: string; live: boolean }> {
    const rec = await this.watchable(actor, id);
    const parts = await readParts(this.folder(id), false, rendition);
    const live = rec.status === 'recording';
    if (!parts.some((p) => p.segments.length > 0)) {
      throw new NotFoundException(live ? `Recording ${id} has no video yet: try again in a few seconds` : `Recording ${id} holds no video`);
    }
    return { text: joinPlaylists(parts, live), live };
  }

  async segmentPath(actor: AuthUser, id: number, part: string, segment: string, rendition?: string): Promise<string> {
    if (!PART_NAME.test(part) || !SEGMENT_NAME.test(segment)) throw new NotFoundException('No such segment');
    if (rendition !== undefined && !(RENDITIONS as readonly string[]).includes(rendition)) throw new NotFoundException('No such segment');
    await this.watchable(actor, id);
    return rendition === undefined ? join(this.folder(id), part, segment) : join(this.folder(id), part, rendition, segment);
  }

  async filePath(actor: AuthUser, id: number, which: 'mp4' | 'poster'): Promise<{ path: string; rec: RecordingDto }> {
    const rec = await this.watchable(actor, id);
    if (which === 'mp4' ? !rec.hasMp4 : !rec.hasPoster) {
      throw new NotFoundException(`Recording ${id} has no ${which === 'mp4' ? 'MP4' : 'poster'} ${rec.status === 'processing' ? 'yet' : ''}`.trim());
    }
    return { path: join(this.folder(id), which === 'mp4' ? MP4_FILE : POSTER_FILE), rec };
  }

  async saveProgress(actor: AuthUser, id: number, positionSeconds: number): Promise<void> {
    const rec = await this.watchable(actor, id);
    if (rec.durationSeconds !== null && positionSeconds > rec.durationSeconds + 1) {
      throw new ConflictException(`Position ${positionSeconds} s is past the end of recording ${id} (${rec.durationSeconds} s)`);
    }
    await this.recordings.saveProgress(id, actor.id, positionSeconds);
  }

  // ---- administration ----

  async storage(): Promise<RecordingStorageDto> {
    await mkdir(this.options.dir, { recursive: true });
    const s = await statfs(this.options.dir);
    const usage = await this.recordings.usage();
    return {
      ...usage,
      bytesFree: s.bavail * s.bsize,
      retentionDays: this.options.retentionDays > 0 ? this.options.retentionDays : null,
      directory: this.options.dir,
    };
  }

  /** The session's teacher or an admin turns recording on or off before the class starts. */
  async setSessionRecord(actor: AuthUser, sessionId: number, record: boolean): Promise<ClassSessionDto> {
    const core = await this.sessions.core(sessionId);
    // Someone else's session answers like one that does not exist: the answer must not tell which ids exist.
    if (!core || !managesSession(actor, core)) throw new NotFoundException(`Session ${sessionId} does not exist`);
    const refused = (status: string) => new ConflictException(`Session ${sessionId} is ${status}: recording is decided before the class starts`);
    if (core.status !== 'scheduled') throw refused(core.status);
    if (!(await this.lifecycle.setRecord(sessionId, record))) throw refused((await this.sessions.core(sessionId))!.status);
    return this.sessions.view(sessionId);
  }

  private async manageable(actor: AuthUser, id: number): Promise<RecordingDto> {
    const rec = await this.get(actor, id);
    if (!(actor.role === 'admin' || rec.teacher.id === actor.id)) throw new ForbiddenException('Only the teacher of this class or an admin can do this');
    return rec;
  }
}
