import type { Reception } from '../contracts/live.js';

/** One of the teacher's videos as a classroom receives it. */
export interface ReceivedVideo {
  source: 'camera' | 'screen';
  /** The teacher turned it off: says nothing about the link. */
  producerPaused: boolean;
  /** Cut for this link: the link ladder cut it, or mediasoup found no layer the link can carry. */
  cut: boolean;
  /** The simulcast layer arriving (0 smallest); undefined before the first is chosen. */
  spatialLayer?: number;
}

/**
 * What a classroom's link carries, judged by the teacher's camera: its picture size while it arrives; when the
 * link can't carry it, her slides or screen share if those still arrive, else her voice alone. Null when
 * there is nothing to judge by yet (no camera sent, or no layer chosen yet).
 */
export function receptionOf(videos: ReceivedVideo[]): Reception | null {
  const camera = videos.find((v) => v.source === 'camera' && !v.producerPaused);
  if (!camera) return null;
  if (!camera.cut) {
    if (camera.spatialLayer === undefined) return null;
    return camera.spatialLayer >= 2 ? 'high' : camera.spatialLayer === 1 ? 'medium' : 'low';
  }
  const screen = videos.find((v) => v.source === 'screen' && !v.producerPaused && !v.cut);
  return screen ? 'slides' : 'audio';
}
