import type { types } from 'mediasoup';
import type { MediaSource } from '../contracts/live.js';
import type { RecordedStream } from './media-args.js';

type RtpEndpoint = { kind: types.MediaKind; rtpParameters: types.RtpParameters };

/**
 * What the recorder's consumer of a producer receives: the router's codec of the producer's kind and MIME type
 * alone, with no RTCP feedback (so no RTX) and no header extensions — plain RTP that ffmpeg understands.
 */
export function plainRtpCapabilities(routerCodecs: types.RtpCodecCapability[], producer: RtpEndpoint): types.RtpCapabilities {
  const mimeType = producer.rtpParameters.codecs[0].mimeType;
  const codec = routerCodecs.find((c) => c.kind === producer.kind && c.mimeType.toLowerCase() === mimeType.toLowerCase());
  if (!codec) throw new Error(`no codec for ${mimeType}`);
  return { codecs: [{ ...codec, rtcpFeedback: [] }], headerExtensions: [] };
}

/** The stream ffmpeg's SDP describes for the recorder's consumer: its codec, on the ports ffmpeg binds. */
export function recordedStream(source: MediaSource, consumer: RtpEndpoint, rtpPort: number, rtcpPort: number): RecordedStream {
  const c = consumer.rtpParameters.codecs[0];
  return {
    source,
    kind: consumer.kind,
    payloadType: c.payloadType,
    mimeType: c.mimeType,
    clockRate: c.clockRate,
    channels: c.channels,
    parameters: c.parameters ?? {},
    rtpPort,
    rtcpPort,
  };
}
