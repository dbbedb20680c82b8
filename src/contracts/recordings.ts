/**
 * Recordings of live classes and their replay.
 * Part of the HTTP API's shapes, shared with the web app (see api.ts).
 */

/**
 * `recording`: the class is live and the recorder is writing HLS parts (the live playlist can be watched with
 * rewind); `processing`: the class ended and the VOD playlist, MP4 and poster are being made; `ready`;
 * `failed`: processing failed (`error` says why; it can be retried); `deleted`: removed by retention or an admin.
 */
export const RECORDING_STATUSES = ['recording', 'processing', 'ready', 'failed', 'deleted'] as const;
export type RecordingStatus = (typeof RECORDING_STATUSES)[number];

/** A chapter mark: where the teacher started a screen share, seconds from the start of the recording. */
export interface RecordingChapterDto {
  atSeconds: number;
  kind: 'screen';
}

export interface RecordingDto {
  id: number;
  sessionId: number;
  courseId: number;
  courseTitle: string;
  lessonId: number | null;
  lessonTitle: string | null;
  title: string;
  teacher: { id: number; displayName: string };
  /** When the class was taught (the session's scheduled start, ISO). */
  sessionStartsAt: string;
  timezone: string;
  status: RecordingStatus;
  /** Parts written so far: the recorder starts a further part after a crash or a change of media. */
  parts: number;
  /** Seconds of media; null until known. */
  durationSeconds: number | null;
  /** Bytes on disk (HLS segments, MP4 and poster). */
  sizeBytes: number;
  /** 0–100 while processing. */
  progress: number;
  /** Why processing failed, or why the recorder stopped early (e.g. the disk is full). */
  error: string | null;
  hasPoster: boolean;
  hasMp4: boolean;
  chapters: RecordingChapterDto[];
  createdAt: string;
  /** URLs, relative to the site: the HLS playlist (live with rewind while recording, VOD once ready), MP4, poster. */
  playlistUrl: string;
  /**
   * The master playlist over the 720p rendition and, where the recording has them, a 360p one and one of the voice
   * alone: what players use, so that a weak link gets what it can carry.
   */
  masterPlaylistUrl: string;
  mp4Url: string | null;
  posterUrl: string | null;
  /** Where this user stopped watching, seconds; null if never watched. */
  myPositionSeconds: number | null;
}

export interface SaveRecordingProgressRequest {
  positionSeconds: number;
}

export interface RecordingStorageDto {
  recordings: number;
  bytesUsed: number;
  /** Free bytes on the disk holding the recordings. */
  bytesFree: number;
  /** Days recordings are kept; null = forever. */
  retentionDays: number | null;
  directory: string;
}

/** Per-session switch: whether its live class is recorded (default true). */
export interface UpdateSessionRecordingRequest {
  record: boolean;
}

/** GET /api/recordings: recordings the user may see, newest class first (admins: all, with deleted ones). */
export interface RecordingQuery {
  courseId?: number;
  sessionId?: number;
  status?: RecordingStatus;
  page?: number;
  pageSize?: number;
}
