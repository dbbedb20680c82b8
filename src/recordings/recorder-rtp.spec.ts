import type { types } from 'mediasoup';
import { sdpFor } from './media-args.js';
import { plainRtpCapabilities, recordedStream } from './recorder-rtp.js';

/** A router's capabilities as mediasoup reports them for MEDIA_CODECS: feedback and RTX added. */
const routerCodecs: types.RtpCodecCapability[] = [
  { kind: 'audio', mimeType: 'audio/opus', preferredPayloadType: 100, clockRate: 48000, channels: 2, parameters: {}, rtcpFeedback: [{ type: 'nack' }, { type: 'transport-cc' }] },
  {
    kind: 'video',
    mimeType: 'video/VP8',
    preferredPayloadType: 101,
    clockRate: 90000,
    parameters: { 'x-google-start-bitrate': 1500 },
    rtcpFeedback: [{ type: 'nack' }, { type: 'nack', parameter: 'pli' }, { type: 'ccm', parameter: 'fir' }, { type: 'goog-remb' }],
  },
  { kind: 'video', mimeType: 'video/rtx', preferredPayloadType: 102, clockRate: 90000, parameters: { apt: 101 }, rtcpFeedback: [] },
  {
    kind: 'video',
    mimeType: 'video/H264',
    preferredPayloadType: 103,
    clockRate: 90000,
    parameters: { 'packetization-mode': 1, 'profile-level-id': '42e01f', 'level-asymmetry-allowed': 1 },
    rtcpFeedback: [{ type: 'nack' }, { type: 'nack', parameter: 'pli' }],
  },
];

const sending = (kind: types.MediaKind, mimeType: string, payloadType = 96, more: Partial<types.RtpCodecParameters> = {}) => ({
  kind,
  rtpParameters: { codecs: [{ mimeType, payloadType, clockRate: kind === 'audio' ? 48000 : 90000, ...more }], headerExtensions: [], encodings: [] },
});

describe(plainRtpCapabilities.name, () => {
  it("offers only the router's codec that the teacher sends, without feedback or header extensions", () => {
    expect(plainRtpCapabilities(routerCodecs, sending('video', 'video/VP8'))).toEqual({
      codecs: [{ kind: 'video', mimeType: 'video/VP8', preferredPayloadType: 101, clockRate: 90000, parameters: { 'x-google-start-bitrate': 1500 }, rtcpFeedback: [] }],
      headerExtensions: [],
    });
  });

  it("matches the teacher's codec without regard to case, and of the same kind", () => {
    expect(plainRtpCapabilities(routerCodecs, sending('video', 'video/h264')).codecs!.map((c) => c.mimeType)).toEqual(['video/H264']);
    expect(plainRtpCapabilities(routerCodecs, sending('audio', 'AUDIO/OPUS')).codecs!.map((c) => c.mimeType)).toEqual(['audio/opus']);
  });

  it('does not change the router capabilities it picks from', () => {
    plainRtpCapabilities(routerCodecs, sending('video', 'video/VP8'));
    expect(routerCodecs[1].rtcpFeedback).toHaveLength(4);
  });

  it('refuses a codec the router does not have', () => {
    expect(() => plainRtpCapabilities(routerCodecs, sending('video', 'video/AV1'))).toThrow('no codec for video/AV1');
    expect(() => plainRtpCapabilities(routerCodecs, sending('audio', 'video/VP8'))).toThrow('no codec for video/VP8');
  });
});

describe(recordedStream.name, () => {
  it("takes what ffmpeg's SDP needs from the consumer's codec, on the ports it is given", () => {
    const consumer = sending('audio', 'audio/opus', 100, { channels: 2, parameters: { useinbandfec: 1 } });
    expect(recordedStream('mic', consumer, 24000, 24001)).toEqual({
      source: 'mic',
      kind: 'audio',
      payloadType: 100,
      mimeType: 'audio/opus',
      clockRate: 48000,
      channels: 2,
      parameters: { useinbandfec: 1 },
      rtpPort: 24000,
      rtcpPort: 24001,
    });
  });

  it("gives the SDP ffmpeg reads for a teacher's microphone and screen share", () => {
    const mic = recordedStream('mic', sending('audio', 'audio/opus', 100, { channels: 2, parameters: { minptime: 10, useinbandfec: 1 } }), 24000, 24001);
    const screen = recordedStream('screen', sending('video', 'video/H264', 103, { parameters: { 'packetization-mode': 1, 'profile-level-id': '42e01f' } }), 31000, 31001);
    expect(sdpFor([screen, mic]).split('\r\n').filter((l) => l.startsWith('m=') || l.startsWith('a=rtpmap') || l.startsWith('a=fmtp'))).toEqual([
      'm=audio 24000 RTP/AVP 100',
      'a=rtpmap:100 opus/48000/2',
      'a=fmtp:100 minptime=10;useinbandfec=1',
      'm=video 31000 RTP/AVP 103',
      'a=rtpmap:103 H264/90000',
      'a=fmtp:103 packetization-mode=1;profile-level-id=42e01f',
    ]);
  });

  it('gives a codec without parameters none, and a video codec no channels', () => {
    const sut = recordedStream('camera', sending('video', 'video/VP8', 101), 30000, 30001);
    expect(sut.parameters).toEqual({});
    expect(sut.channels).toBeUndefined();
    expect(sdpFor([sut])).toContain('a=rtpmap:101 VP8/90000\r\n');
  });
});
