import { spawn, type ChildProcess } from 'node:child_process';
import type { types } from 'mediasoup';

/**
 * A teacher made of Debian's ffmpeg: a test pattern (VP8) and a tone (Opus) sent as RTP into producers on a
 * router, the way a browser's camera and microphone arrive. `screen` adds a second, different picture. ffmpeg
 * doesn't answer key-frame requests as a browser does, so it sends a key frame every half second instead.
 */
export interface TeacherFeed {
  mic?: types.Producer;
  camera?: types.Producer;
  screen?: types.Producer;
  stop(): void;
}

let ssrc = 31_000_000;

async function producerFor(router: types.Router, kind: 'audio' | 'video'): Promise<{ producer: types.Producer; url: string }> {
  const transport = await router.createPlainTransport({ listenInfo: { protocol: 'udp', ip: '127.0.0.1' }, rtcpMux: false, comedia: true });
  const s = ++ssrc;
  const producer = await transport.produce(
    kind === 'video'
      ? { kind, rtpParameters: { codecs: [{ mimeType: 'video/VP8', payloadType: 101, clockRate: 90000 }], encodings: [{ ssrc: s }] } }
      : { kind, rtpParameters: { codecs: [{ mimeType: 'audio/opus', payloadType: 100, clockRate: 48000, channels: 2, parameters: { 'sprop-stereo': 1 } }], encodings: [{ ssrc: s }] } },
  );
  producer.observer.once('close', () => transport.close());
  const url = `rtp://127.0.0.1:${transport.tuple.localPort}?rtcpport=${transport.rtcpTuple!.localPort}&pkt_size=1200`;
  return { producer, url: `${url}#${s}` };
}

/** A producer whose sender never sends: a teacher's camera whose WebRTC never connected. */
export async function silentProducer(router: types.Router, kind: 'audio' | 'video'): Promise<types.Producer> {
  return (await producerFor(router, kind)).producer;
}

function rtpOut(url: string, pt: number): string[] {
  const [u, s] = url.split('#');
  return ['-ssrc', s, '-payload_type', String(pt), '-f', 'rtp', u];
}

export async function teacherFeed(router: types.Router, what: { mic?: boolean; camera?: boolean; screen?: boolean }): Promise<TeacherFeed> {
  const feed: TeacherFeed = { stop: () => undefined };
  const args = ['-hide_banner', '-loglevel', 'error', '-re'];
  const outputs: string[] = [];
  let input = 0;
  if (what.camera) {
    const { producer, url } = await producerFor(router, 'video');
    feed.camera = producer;
    args.push('-f', 'lavfi', '-i', 'testsrc=size=640x360:rate=20');
    outputs.push('-map', `${input++}:v`, '-c:v', 'libvpx', '-deadline', 'realtime', '-cpu-used', '8', '-b:v', '600k', '-g', '10', ...rtpOut(url, 101));
  }
  if (what.screen) {
    const { producer, url } = await producerFor(router, 'video');
    feed.screen = producer;
    args.push('-f', 'lavfi', '-i', 'smptebars=size=640x360:rate=10');
    outputs.push('-map', `${input++}:v`, '-c:v', 'libvpx', '-deadline', 'realtime', '-cpu-used', '8', '-b:v', '300k', '-g', '5', ...rtpOut(url, 101));
  }
  if (what.mic) {
    const { producer, url } = await producerFor(router, 'audio');
    feed.mic = producer;
    args.push('-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000');
    outputs.push('-map', `${input}:a`, '-c:a', 'libopus', '-b:a', '48k', '-ac', '2', ...rtpOut(url, 100));
  }
  const ffmpeg: ChildProcess = spawn('ffmpeg', [...args, ...outputs], { stdio: ['ignore', 'ignore', 'inherit'] });
  feed.stop = () => {
    ffmpeg.kill('SIGKILL');
    for (const p of [feed.mic, feed.camera, feed.screen]) p?.close();
  };
  return feed;
}
