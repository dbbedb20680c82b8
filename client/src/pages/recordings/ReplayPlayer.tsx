import Hls, { type ErrorData, type HlsConfig } from 'hls.js/light';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { RecordingChapterDto, RecordingDto } from '@contracts/api';
import { ApiRequestError } from '../../api/http';
import { useSaveProgress } from '../../api/recordings';
import { getSession } from '../../auth/session';
import { ErrorMessage } from '../../components/ErrorMessage';
import { useFormat } from '../../lib/format';

const SPEEDS = [0.75, 1, 1.25, 1.5, 2];
/** While playing, where the user is gets saved this often (and on pause, after a seek, on leaving). */
const SAVE_EVERY_MS = 5000;
/** A position this close to the end counts as watched to the end: the next visit starts from the beginning. */
const RESUME_MARGIN_S = 5;
const HLS_MIME = 'application/vnd.apple.mpegurl';

type PlaybackMode = 'hls' | 'native' | 'none';

/**
 * hls.js wherever the browser has Media Source Extensions; else the browser's own HLS (older iPhones), which
 * cannot add the Authorization header and so depends on the server accepting the login cookie for the playlist.
 */
function playbackMode(): PlaybackMode {
  if (Hls.isSupported()) return 'hls';
  return document.createElement('video').canPlayType(HLS_MIME) ? 'native' : 'none';
}

function authorization(): string | undefined {
  // Read per request: a token renewed by logging in again during a long film is picked up.
  const token = getSession()?.accessToken;
  return token ? `Bearer ${token}` : undefined;
}

/** The playlist and every segment need the bearer token, like any API call. */
const AUTH_CONFIG: Partial<HlsConfig> = {
  xhrSetup: (xhr) => {
    const value = authorization();
    if (value) xhr.setRequestHeader('Authorization', value);
  },
  fetchSetup: (context, init: RequestInit) => {
    const headers = new Headers(init.headers);
    const value = authorization();
    if (value) headers.set('Authorization', value);
    return new Request(context.url, { ...init, headers });
  },
};

type PlaybackProblem = { kind: 'http'; error: ApiRequestError } | { kind: 'media' | 'unsupported' | 'playback' };

/** A fatal hls.js error as something to tell the user: HTTP failures read like any refused API call. */
function describeFatal(data: ErrorData): PlaybackProblem {
  if (data.type === Hls.ErrorTypes.NETWORK_ERROR) {
    return { kind: 'http', error: new ApiRequestError(data.response?.code ?? 0, null) };
  }
  return { kind: data.type === Hls.ErrorTypes.MEDIA_ERROR ? 'media' : 'playback' };
}

/** Where to pick up again: the saved position, unless there is none or it is (almost) the end. */
function resumePosition(recording: RecordingDto): number | null {
  const at = recording.myPositionSeconds;
  if (at === null || at < 1) return null;
  if (recording.durationSeconds !== null && at >= recording.durationSeconds - RESUME_MARGIN_S) return null;
  return at;
}

function PlaybackError({ problem, onRetry }: { problem: PlaybackProblem; onRetry?: () => void }) {
  const { t } = useTranslation();
  if (problem.kind === 'http') return <ErrorMessage error={problem.error} testId="replay-error" onRetry={onRetry} />;
  return (
    <div className="alert alert-error" role="alert" data-testid="replay-error">
      <p className="alert-headline">{t(`recording.errors.${problem.kind}`)}</p>
      {onRetry && (
        <button type="button" className="button-secondary" onClick={onRetry}>
          {t('errors.retry')}
        </button>
      )}
    </div>
  );
}

function Chapters({
  chapters,
  duration,
  onSeek,
}: {
  chapters: RecordingChapterDto[];
  duration: number | null;
  onSeek: (seconds: number) => void;
}) {
  const { t } = useTranslation();
  const { clock } = useFormat();
  if (chapters.length === 0) return null;
  const label = (chapter: RecordingChapterDto) => t(`recording.chapter.${chapter.kind}`, { time: clock(chapter.atSeconds) });
  return (
    <>
      {duration !== null && duration > 0 && (
        <div className="replay-chapter-bar" role="group" aria-label={t('recording.chapterMarks')}>
          {chapters.map((chapter) => (
            <button
              key={`${chapter.kind}-${chapter.atSeconds}`}
              type="button"
              className="replay-chapter-mark"
              style={{ left: `${Math.min(100, (chapter.atSeconds / duration) * 100)}%` }}
              title={label(chapter)}
              aria-label={label(chapter)}
              onClick={() => onSeek(chapter.atSeconds)}
              data-testid="replay-chapter-mark"
            />
          ))}
        </div>
      )}
      <section className="replay-chapters">
        <h2>{t('recording.chapters')}</h2>
        <ul>
          {chapters.map((chapter) => (
            <li key={`${chapter.kind}-${chapter.atSeconds}`}>
              <button
                type="button"
                className="button-secondary"
                onClick={() => onSeek(chapter.atSeconds)}
                data-testid="replay-chapter"
                data-at={chapter.atSeconds}
              >
                {label(chapter)}
              </button>
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}

interface Props {
  recording: RecordingDto;
  /** The class is still on: its live playlist, watched with rewind (no saved position, no download). */
  live: boolean;
}

/** The recording's HLS playlist in a <video>, with speed, resume, chapters and (once ready) the MP4 download. */
export function ReplayPlayer({ recording, live }: Props) {
  const { t } = useTranslation();
  const format = useFormat();
  const saveProgress = useSaveProgress();
  const videoRef = useRef<HTMLVideoElement>(null);
  const hlsRef = useRef<Hls | null>(null);
  const [mode] = useState(playbackMode);
  // Taken once: later saves update the cached recording, and must not seek the film again.
  const [resumeAt] = useState(() => (live ? null : resumePosition(recording)));
  const [resumed, setResumed] = useState<number | null>(null);
  const [failure, setFailure] = useState<PlaybackProblem | null>(null);
  // Bumped by "retry" after a fatal error: the player is built again.
  const [attempt, setAttempt] = useState(0);
  const [speed, setSpeed] = useState(1);
  const [mediaDuration, setMediaDuration] = useState<number | null>(null);
  const { id, masterPlaylistUrl: playlistUrl } = recording;
  // A live recording's length grows; it is only needed (and steady) once ready.
  const knownDuration = live ? null : recording.durationSeconds;

  useEffect(() => {
    const video = videoRef.current;
    if (!video || mode === 'none') return;

    // Nothing is saved before the user has played or sought: position 0 of a page just opened (or the seek to
    // the saved position) must not overwrite where they really stopped.
    let started = false;
    let resumePending = resumeAt !== null;
    let lastSaved = resumeAt === null ? null : Math.floor(resumeAt);
    const save = (keepalive = false) => {
      if (live || !started) return;
      // Never past the length the server knows (the media's own can be a fraction longer).
      const position = Math.floor(Math.min(video.currentTime, knownDuration ?? Infinity));
      if (!Number.isFinite(position) || position === lastSaved) return;
      lastSaved = position;
      saveProgress(id, position, keepalive);
    };

    const onLoadedMetadata = () => {
      if (!resumePending || resumeAt === null) return;
      // hls.js already starts there (startPosition); the browser's own HLS needs the seek.
      if (Math.abs(video.currentTime - resumeAt) > 1) video.currentTime = resumeAt;
      else resumePending = false;
      setResumed(resumeAt);
    };
    const onPlaying = () => {
      started = true;
    };
    const onSeeked = () => {
      if (resumePending) {
        resumePending = false;
        return;
      }
      started = true;
      save();
    };
    const onPause = () => save();
    const onDurationChange = () => setMediaDuration(Number.isFinite(video.duration) ? video.duration : null);
    const onRateChange = () => setSpeed(video.playbackRate);
    const onPageHide = () => save(true);
    // The browser's own HLS says little: a network failure, or media it cannot play (a refused playlist too).
    const onNativeError = () =>
      setFailure(
        video.error?.code === MediaError.MEDIA_ERR_NETWORK
          ? { kind: 'http', error: new ApiRequestError(0, null) }
          : { kind: 'media' },
      );
    const timer = window.setInterval(() => {
      if (!video.paused && !video.seeking) save();
    }, SAVE_EVERY_MS);

    const listeners: [keyof HTMLMediaElementEventMap, () => void][] = [
      ['loadedmetadata', onLoadedMetadata],
      ['playing', onPlaying],
      ['seeked', onSeeked],
      ['pause', onPause],
      ['durationchange', onDurationChange],
      ['ratechange', onRateChange],
    ];
    // hls.js reports (and handles) the media's errors itself.
    if (mode === 'native') listeners.push(['error', onNativeError]);
    for (const [name, listener] of listeners) video.addEventListener(name, listener);
    window.addEventListener('pagehide', onPageHide);

    let hls: Hls | null = null;
    if (mode === 'hls') {
      const player = new Hls({ ...AUTH_CONFIG, startPosition: resumeAt ?? -1 });
      hls = player;
      hlsRef.current = player;
      let recovered = false;
      player.on(Hls.Events.ERROR, (_event, data) => {
        if (!data.fatal) return;
        // A decoding hiccup is often cured by re-creating the media buffers once; hls.js's documented recovery.
        if (data.type === Hls.ErrorTypes.MEDIA_ERROR && !recovered) {
          recovered = true;
          player.recoverMediaError();
          return;
        }
        setFailure(describeFatal(data));
      });
      player.loadSource(playlistUrl);
      player.attachMedia(video);
    } else {
      video.src = playlistUrl;
    }

    return () => {
      // Saved first: detaching the media resets its position.
      save(true);
      window.clearInterval(timer);
      for (const [name, listener] of listeners) video.removeEventListener(name, listener);
      window.removeEventListener('pagehide', onPageHide);
      if (hls) {
        hls.destroy();
        if (hlsRef.current === hls) hlsRef.current = null;
      } else {
        video.removeAttribute('src');
        video.load();
      }
    };
  }, [mode, id, playlistUrl, knownDuration, live, resumeAt, attempt, saveProgress]);

  const seek = (seconds: number) => {
    const video = videoRef.current;
    if (!video) return;
    video.currentTime = seconds;
    void video.play().catch(() => undefined);
  };

  const changeSpeed = (value: number) => {
    const video = videoRef.current;
    if (video) {
      // The default rate too: a rebuilt player (after an error) keeps the chosen speed.
      video.defaultPlaybackRate = value;
      video.playbackRate = value;
    }
    setSpeed(value);
  };

  const backToLive = () => {
    const video = videoRef.current;
    if (!video) return;
    const { seekable } = video;
    const edge = hlsRef.current?.liveSyncPosition ?? (seekable.length > 0 ? seekable.end(seekable.length - 1) : null);
    if (edge !== null) video.currentTime = edge;
    void video.play().catch(() => undefined);
  };

  const retry = () => {
    setFailure(null);
    setAttempt((current) => current + 1);
  };

  const problem: PlaybackProblem | null = mode === 'none' ? { kind: 'unsupported' } : failure;
  // A live playlist grows: the media's own length is the current one.
  const duration = live ? (mediaDuration ?? recording.durationSeconds) : (recording.durationSeconds ?? mediaDuration);
  const speeds = SPEEDS.includes(speed) ? SPEEDS : [...SPEEDS, speed].sort((a, b) => a - b);

  return (
    <div className="replay-player" data-testid="replay-player" data-live={live}>
      {problem && <PlaybackError problem={problem} onRetry={mode === 'none' ? undefined : retry} />}
      <div className="video-frame replay-frame">
        <video
          ref={videoRef}
          data-testid="replay-video"
          controls
          playsInline
          preload="metadata"
          poster={recording.hasPoster ? (recording.posterUrl ?? undefined) : undefined}
          aria-label={recording.title}
        />
      </div>
      <Chapters chapters={recording.chapters} duration={duration} onSeek={seek} />
      <div className="replay-toolbar">
        <label className="inline-field">
          <span>{t('recording.speed')}</span>
          <select value={speed} onChange={(event) => changeSpeed(Number(event.target.value))} data-testid="replay-speed">
            {speeds.map((value) => (
              <option key={value} value={value}>
                {t('recording.speedValue', { speed: value })}
              </option>
            ))}
          </select>
        </label>
        {live && (
          <button type="button" onClick={backToLive} data-testid="replay-back-to-live">
            {t('recording.backToLive')}
          </button>
        )}
        {!live && recording.hasMp4 && recording.mp4Url && (
          <span className="replay-download">
            <a className="button-link button-secondary" href={recording.mp4Url} download data-testid="replay-download">
              {t('recording.download')}
            </a>
            <span className="muted">{t('recording.size', { size: format.bytes(recording.sizeBytes) })}</span>
          </span>
        )}
      </div>
      {resumed !== null && (
        <p className="alert alert-info" role="status" data-testid="replay-resumed" data-at={resumed}>
          {t('recording.resumed', { time: format.clock(resumed) })}
        </p>
      )}
    </div>
  );
}
