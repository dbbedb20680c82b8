import type { types } from 'mediasoup-client';

/**
 * The teacher's camera: 720p, sent in three simulcast layers so weak links get a small one, each with three
 * temporal layers (L1T3) so that a thin link gets fewer frames of a picture rather than a frozen one: the
 * server can forward every fourth or every second frame of a layer without asking the teacher for anything.
 */
export const TEACHER_CAMERA: MediaTrackConstraints = { width: 1280, height: 720 };
export const TEACHER_SIMULCAST: types.RtpEncodingParameters[] = [
  { scaleResolutionDownBy: 4, maxBitrate: 150_000, scalabilityMode: 'L1T3' },
  { scaleResolutionDownBy: 2, maxBitrate: 500_000, scalabilityMode: 'L1T3' },
  { scaleResolutionDownBy: 1, maxBitrate: 1_500_000, scalabilityMode: 'L1T3' },
];
/**
 * The teacher's screen share (slides, a document): a half-size layer of at most 120 kbit/s beside the full
 * one, each with temporal layers, so that a link too thin for any camera picture still gets her slides as
 * sharp stills a few times a second (the server gives the screen share its bandwidth before the camera).
 */
export const TEACHER_SCREEN_SIMULCAST: types.RtpEncodingParameters[] = [
  { scaleResolutionDownBy: 2, maxBitrate: 120_000, scalabilityMode: 'L1T3' },
  { scaleResolutionDownBy: 1, maxBitrate: 1_200_000, scalabilityMode: 'L1T3' },
];
export const TEACHER_CODEC_OPTIONS: types.ProducerCodecOptions = { videoGoogleStartBitrate: 1500 };

/**
 * Every microphone: NACK for Opus, so a lost voice packet is sent again (by the browser to the server, and by
 * the server to each classroom) instead of concealed; in-band FEC stays on. The voice is what children follow.
 */
export const MIC_CODEC_OPTIONS: types.ProducerCodecOptions = { opusNack: true, opusFec: true };

/**
 * What this browser receives, with NACK for Opus added. Chromium asks for lost voice packets again once the
 * server's offer lists NACK for Opus, but doesn't declare it in its capabilities, so without this the server
 * would leave it out and never resend a lost voice packet to a classroom on a lossy link (measured at 256 kbit/s
 * with 5 % loss: concealed audio from 4–6 % to under 1 %; see bench/README.md).
 */
export function withAudioNack(caps: types.RtpCapabilities): types.RtpCapabilities {
  return {
    ...caps,
    codecs: caps.codecs?.map((c) =>
      c.kind === 'audio' && c.mimeType.toLowerCase() === 'audio/opus' && !c.rtcpFeedback?.some((f) => f.type === 'nack' && !f.parameter)
        ? { ...c, rtcpFeedback: [...(c.rtcpFeedback ?? []), { type: 'nack', parameter: '' }] }
        : c,
    ),
  };
}

/** A classroom talking back: one modest layer, its uplink is usually the weak one. */
export const CLASSROOM_CAMERA: MediaTrackConstraints = { width: 640, height: 360 };

/** Why the browser gave no camera, microphone or screen. */
export type MediaProblem = 'denied' | 'notFound' | 'busy' | 'unsupported' | 'failed';

export class MediaAccessError extends Error {
  readonly problem: MediaProblem;
  readonly device: 'camera' | 'mic' | 'media' | 'screen';

  constructor(problem: MediaProblem, device: MediaAccessError['device'], cause?: unknown) {
    super(cause instanceof Error ? cause.message : problem);
    this.name = 'MediaAccessError';
    this.problem = problem;
    this.device = device;
  }
}

function problemOf(error: unknown): MediaProblem {
  const name = error instanceof DOMException || error instanceof Error ? error.name : '';
  switch (name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return 'denied';
    case 'NotFoundError':
    case 'OverconstrainedError':
      return 'notFound';
    case 'NotReadableError':
    case 'AbortError':
      return 'busy';
    case 'TypeError':
      return 'unsupported';
    default:
      return 'failed';
  }
}

function mediaDevices(device: MediaAccessError['device']): MediaDevices {
  // Browsers offer media only to secure pages (https or localhost).
  if (!navigator.mediaDevices) throw new MediaAccessError('unsupported', device);
  return navigator.mediaDevices;
}

/**
 * Camera and microphone together; when both can't be had, whichever one can (a classroom PC without a camera
 * still talks). Throws only when neither is available.
 */
export async function openCameraAndMic(video: MediaTrackConstraints): Promise<{ stream: MediaStream; problem: MediaAccessError | null }> {
  const devices = mediaDevices('media');
  try {
    return { stream: await devices.getUserMedia({ video, audio: true }), problem: null };
  } catch (both) {
    // Permission refused for the page: asking again per device would only be refused again.
    if (problemOf(both) === 'denied') throw new MediaAccessError('denied', 'media', both);
    const [camera, mic] = await Promise.allSettled([
      devices.getUserMedia({ video, audio: false }),
      devices.getUserMedia({ video: false, audio: true }),
    ]);
    const tracks = [camera, mic].flatMap((result) => (result.status === 'fulfilled' ? result.value.getTracks() : []));
    if (tracks.length === 0) throw new MediaAccessError(problemOf(both), 'media', both);
    const problem =
      camera.status === 'rejected'
        ? new MediaAccessError(problemOf(camera.reason), 'camera', camera.reason)
        : mic.status === 'rejected'
          ? new MediaAccessError(problemOf(mic.reason), 'mic', mic.reason)
          : null;
    return { stream: new MediaStream(tracks), problem };
  }
}

/** One device alone, e.g. the camera switched on again after it failed at first. */
export async function openDevice(kind: 'camera' | 'mic', video: MediaTrackConstraints): Promise<MediaStreamTrack> {
  const devices = mediaDevices(kind);
  try {
    const stream = await devices.getUserMedia(kind === 'camera' ? { video, audio: false } : { video: false, audio: true });
    return stream.getTracks()[0];
  } catch (error) {
    throw new MediaAccessError(problemOf(error), kind, error);
  }
}

/** A screen, window or tab the user picks; null when they cancel the picker. */
export async function openScreen(): Promise<MediaStream | null> {
  const devices = mediaDevices('screen');
  if (typeof devices.getDisplayMedia !== 'function') throw new MediaAccessError('unsupported', 'screen');
  try {
    return await devices.getDisplayMedia({ video: { frameRate: 15 }, audio: false });
  } catch (error) {
    // Closing the picker is a refusal too, but not a problem worth a red message.
    if (error instanceof DOMException && error.name === 'NotAllowedError') return null;
    throw new MediaAccessError(problemOf(error), 'screen', error);
  }
}

export function stopStream(stream: MediaStream | null | undefined): void {
  stream?.getTracks().forEach((track) => track.stop());
}
