import { LiveMessage } from '@contracts/live';
import {
  CLASSROOM_CAMERA,
  MediaAccessError,
  MIC_CODEC_OPTIONS,
  openCameraAndMic,
  openDevice,
  openScreen,
  stopStream,
  TEACHER_CAMERA,
  TEACHER_CODEC_OPTIONS,
  TEACHER_SCREEN_SIMULCAST,
  TEACHER_SIMULCAST,
} from './media';
import type { LiveStore } from './LiveStore';
import type { LiveRequester } from './signaling';
import type { MediaSession } from './MediaSession';

function isLive(track: MediaStreamTrack | null): track is MediaStreamTrack {
  return track !== null && track.readyState === 'live';
}

export interface OwnMediaDeps {
  store: LiveStore;
  request: LiveRequester;
  /** The current join's media session, if any. */
  session: () => MediaSession | null;
}

/**
 * This participant's own camera, microphone and screen: the teacher's, or a classroom's while it holds the floor
 * (talk-back). The tracks are kept across rebuilds and reconnects, so a new join sends them again without asking
 * for the camera again; each join's MediaSession produces them.
 */
export class OwnMedia {
  private readonly deps: OwnMediaDeps;
  /** Bumped by begin() and close(): work begun before belongs to a closed client. */
  private epoch = 0;
  private camera: MediaStreamTrack | null = null;
  private mic: MediaStreamTrack | null = null;
  private screen: MediaStream | null = null;
  private teacherMediaTried = false;
  private talkbackToken = 0;

  constructor(deps: OwnMediaDeps) {
    this.deps = deps;
  }

  private get store(): LiveStore {
    return this.deps.store;
  }

  /** A (new) start of the page: the teacher is asked for her camera once more. */
  begin(): void {
    this.epoch++;
    this.teacherMediaTried = false;
  }

  /** The page closes: nothing begun before may open a device any more, and every track stops. */
  close(): void {
    this.epoch++;
    this.stop();
  }

  /** Every own track off (the camera light too). */
  stop(): void {
    this.talkbackToken++;
    this.camera?.stop();
    this.mic?.stop();
    stopStream(this.screen);
    this.camera = null;
    this.mic = null;
    this.screen = null;
    const { localVideo, localAudio, screenVideo, talkingBack } = this.store.state;
    if (localVideo || localAudio || screenVideo || talkingBack) {
      this.store.set({ localVideo: null, localAudio: null, screenVideo: null, talkingBack: false });
    }
  }

  private publish(): void {
    this.store.set({ localVideo: isLive(this.camera) ? this.camera : null, localAudio: isLive(this.mic) ? this.mic : null });
  }

  // ---- the teacher -----------------------------------------------------------------------------------------

  /** On each join: the teacher's camera, microphone and shared screen, as her switches say. */
  async startTeacher(session: MediaSession): Promise<void> {
    const epoch = this.epoch;
    try {
      // Asked once per page: after a refusal the camera switch asks again, a reconnect doesn't.
      if (!this.teacherMediaTried && !isLive(this.camera) && !isLive(this.mic)) {
        this.teacherMediaTried = true;
        let opened: Awaited<ReturnType<typeof openCameraAndMic>>;
        try {
          opened = await openCameraAndMic(TEACHER_CAMERA);
        } catch (error) {
          if (epoch === this.epoch) this.store.set({ error, cameraOn: false, micOn: false });
          return;
        }
        if (epoch !== this.epoch) {
          stopStream(opened.stream);
          return;
        }
        this.camera = opened.stream.getVideoTracks()[0] ?? null;
        this.mic = opened.stream.getAudioTracks()[0] ?? null;
        this.store.set({ cameraOn: this.camera !== null, micOn: this.mic !== null });
        this.publish();
        if (opened.problem) this.store.report(opened.problem);
      }
      if (session.closed) return;
      if (isLive(this.camera) && this.store.state.cameraOn) {
        await session.produce('camera', this.camera, { encodings: TEACHER_SIMULCAST, codecOptions: TEACHER_CODEC_OPTIONS });
      }
      if (isLive(this.mic) && this.store.state.micOn) await session.produce('mic', this.mic, { codecOptions: MIC_CODEC_OPTIONS });
      const screen = this.screen?.getVideoTracks()[0] ?? null;
      if (isLive(screen)) await session.produce('screen', screen, { encodings: TEACHER_SCREEN_SIMULCAST });
    } catch (error) {
      if (!session.closed) this.store.report(error);
    }
  }

  /** The teacher's camera or microphone on or off: a paused producer, or a first one once the device opens. */
  async toggle(kind: 'camera' | 'mic'): Promise<void> {
    const key = kind === 'camera' ? 'cameraOn' : 'micOn';
    const on = !this.store.state[key];
    this.store.set({ [key]: on });
    const session = this.deps.session();
    try {
      const producer = session?.producer(kind);
      if (producer) {
        if (on) producer.resume();
        else producer.pause();
        await this.deps.request(on ? LiveMessage.ResumeProducer : LiveMessage.PauseProducer, { producerId: producer.id });
        return;
      }
      let track = kind === 'camera' ? this.camera : this.mic;
      if (!on) {
        if (track) track.enabled = false;
        return;
      }
      if (!isLive(track)) {
        const epoch = this.epoch;
        track = await openDevice(kind, TEACHER_CAMERA);
        if (epoch !== this.epoch) {
          track.stop();
          return;
        }
        if (kind === 'camera') this.camera = track;
        else this.mic = track;
        this.publish();
      }
      track.enabled = true;
      if (session?.ready && this.store.state.role === 'teacher') {
        await session.produce(
          kind,
          track,
          kind === 'camera' ? { encodings: TEACHER_SIMULCAST, codecOptions: TEACHER_CODEC_OPTIONS } : { codecOptions: MIC_CODEC_OPTIONS },
        );
      }
    } catch (error) {
      if (error instanceof MediaAccessError) this.store.set({ [key]: false });
      this.store.report(error);
    }
  }

  /** Shares a screen, window or tab as a second video (source `screen`), or stops sharing. */
  async toggleScreen(): Promise<void> {
    if (this.screen) {
      this.stopScreen();
      return;
    }
    const epoch = this.epoch;
    try {
      const stream = await openScreen();
      if (!stream) return;
      if (epoch !== this.epoch) {
        stopStream(stream);
        return;
      }
      const track = stream.getVideoTracks()[0];
      // Text and slides: keep them sharp rather than smooth.
      track.contentHint = 'detail';
      // The browser's own "stop sharing" button.
      track.addEventListener('ended', () => {
        if (this.screen === stream) this.stopScreen();
      });
      this.screen = stream;
      this.store.set({ screenVideo: track });
      const session = this.deps.session();
      if (session?.ready) await session.produce('screen', track, { encodings: TEACHER_SCREEN_SIMULCAST }, () => this.screen === stream);
    } catch (error) {
      this.store.report(error);
    }
  }

  stopScreen(): void {
    const stream = this.screen;
    this.screen = null;
    stopStream(stream);
    void this.deps.session()?.closeProducer('screen');
    if (this.store.state.screenVideo) this.store.set({ screenVideo: null });
  }

  // ---- a classroom's talk-back -----------------------------------------------------------------------------

  /** A classroom sends while it holds the floor, and stops the moment it doesn't. */
  syncTalkback(): void {
    const session = this.deps.session();
    const { role, classroomId, hands, talkingBack } = this.store.state;
    const holds = role === 'classroom' && classroomId !== null && hands.floor === classroomId;
    if (holds && session?.ready && !session.talkback) void this.startTalkback(session);
    else if (!holds && talkingBack) void this.stopTalkback();
  }

  private async startTalkback(session: MediaSession): Promise<void> {
    session.talkback = true;
    this.store.set({ talkingBack: true });
    const token = ++this.talkbackToken;
    const wanted = () => token === this.talkbackToken && !session.closed;
    try {
      if (!isLive(this.camera) && !isLive(this.mic)) {
        const { stream, problem } = await openCameraAndMic(CLASSROOM_CAMERA);
        if (!wanted()) {
          stopStream(stream);
          return;
        }
        this.camera = stream.getVideoTracks()[0] ?? null;
        this.mic = stream.getAudioTracks()[0] ?? null;
        this.publish();
        if (problem) this.store.report(problem);
      }
      if (isLive(this.camera)) await session.produce('camera', this.camera, {}, wanted);
      if (wanted() && isLive(this.mic)) await session.produce('mic', this.mic, { codecOptions: MIC_CODEC_OPTIONS }, wanted);
    } catch (error) {
      if (wanted()) this.store.report(error);
    }
  }

  private async stopTalkback(): Promise<void> {
    this.talkbackToken++;
    const session = this.deps.session();
    this.camera?.stop();
    this.mic?.stop();
    this.camera = null;
    this.mic = null;
    this.store.set({ talkingBack: false, localVideo: null, localAudio: null });
    if (session) {
      session.talkback = false;
      await Promise.all([session.closeProducer('camera'), session.closeProducer('mic')]);
    }
  }
}
