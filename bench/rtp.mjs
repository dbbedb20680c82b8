// The RTP side of the fan-out benchmarks (bench/fanout.mjs, bench/fanout-nodes.mjs): a plain-RTP teacher, its
// producers, and PlainTransport consumers towards the receivers (bench/receiver.mjs).
import { fork } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';

export const SRTP = process.env.BENCH_SRTP === '1';
export const VIDEO_SSRC = 1111;
const AUDIO_SSRC = 2222;
const MAGIC = 0x7ea11e55;
/**
 * Three port ranges that can't collide (a port drawn at random from a range the others used collided at 700
 * classrooms and more): the receivers' N×2 sockets take the kernel's ephemeral range; the benchmark's
 * PlainTransports take PLAIN_PORTS; the workers' WebRTC ports sit between those and the ephemeral range.
 */
const EPHEMERAL_LOW = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
export const PLAIN_PORTS = { min: 10000, max: EPHEMERAL_LOW - 1001 };
export function webRtcPort(workers) {
  return EPHEMERAL_LOW - 1000 + Math.floor(Math.random() * (1000 - workers - 1));
}

/** A plain-RTP sender standing in for the teacher's browser: VP8 key frames of 4 packets, 30 fps, and Opus. */
export function startSender(videoPort, audioPort) {
  const socket = createSocket('udp4');
  let vseq = 0;
  let aseq = 0;
  let ts = 0;
  const packet = (pt, seq, timestamp, ssrc, marker, body) => {
    const h = Buffer.alloc(12);
    h[0] = 0x80;
    h[1] = (marker ? 0x80 : 0) | pt;
    h.writeUInt16BE(seq & 0xffff, 2);
    h.writeUInt32BE(timestamp >>> 0, 4);
    h.writeUInt32BE(ssrc, 8);
    return Buffer.concat([h, body]);
  };
  const stamp = (body) => {
    body.writeUInt32BE(MAGIC, 12);
    body.writeDoubleBE(performance.timeOrigin + performance.now(), 16);
    return body;
  };
  const video = setInterval(() => {
    ts += 3000;
    for (let i = 0; i < 4; i++) {
      const body = Buffer.alloc(1050);
      // VP8 payload descriptor (S bit on the first packet), then a key-frame header with 1280x720.
      body[0] = i === 0 ? 0x10 : 0x00;
      if (i === 0) Buffer.from([0x10, 0x02, 0x00, 0x9d, 0x01, 0x2a, 0x00, 0x05, 0xd0, 0x02]).copy(body, 1);
      socket.send(packet(101, vseq++, ts, VIDEO_SSRC, i === 3, stamp(body)), videoPort, '127.0.0.1');
    }
  }, 1000 / 30);
  let ats = 0;
  const audio = setInterval(() => {
    ats += 960;
    socket.send(packet(100, aseq++, ats, AUDIO_SSRC, false, stamp(Buffer.alloc(160, 0xf8))), audioPort, '127.0.0.1');
  }, 20);
  return () => {
    clearInterval(video);
    clearInterval(audio);
    socket.close();
  };
}

export async function produce(router) {
  const plain = (rtcpMux) => router.createPlainTransport({ listenInfo: { protocol: 'udp', ip: '127.0.0.1', portRange: PLAIN_PORTS }, rtcpMux, comedia: true });
  const vt = await plain(true);
  const at = await plain(true);
  const video = await vt.produce({
    kind: 'video',
    rtpParameters: { codecs: [{ mimeType: 'video/VP8', payloadType: 101, clockRate: 90000 }], encodings: [{ ssrc: VIDEO_SSRC }] },
  });
  const audio = await at.produce({
    kind: 'audio',
    rtpParameters: { codecs: [{ mimeType: 'audio/opus', payloadType: 100, clockRate: 48000, channels: 2 }], encodings: [{ ssrc: AUDIO_SSRC }] },
  });
  return { video, audio, videoPort: vt.tuple.localPort, audioPort: at.tuple.localPort };
}

export async function consume(router, port, producers, idOn = (id) => id) {
  const t = await router.createPlainTransport({
    listenInfo: { protocol: 'udp', ip: '127.0.0.1', portRange: PLAIN_PORTS },
    rtcpMux: true,
    comedia: false,
    enableSrtp: SRTP,
    srtpCryptoSuite: 'AEAD_AES_256_GCM',
  });
  await t.connect({
    ip: '127.0.0.1',
    port,
    ...(SRTP ? { srtpParameters: { cryptoSuite: 'AEAD_AES_256_GCM', keyBase64: randomBytes(44).toString('base64') } } : {}),
  });
  const out = [];
  for (const p of producers) out.push(await t.consume({ producerId: idOn(p.id), rtpCapabilities: router.rtpCapabilities }));
  return out;
}

/** The media payload types a consumer sends (not RTX). */
export function mediaPayloadTypes(consumers) {
  return consumers.map((c) => c.rtpParameters.codecs[0].payloadType);
}

export async function cpuSeconds(workers) {
  let total = 0;
  for (const w of workers) {
    const u = await w.getResourceUsage();
    total += (u.ru_utime + u.ru_stime) / 1000;
  }
  return total;
}


/** The receivers (bench/receiver.mjs) in a process of their own; `ask` sends a message and waits for the answer of that type. */
export function startReceivers() {
  const receivers = fork(new URL('./receiver.mjs', import.meta.url));
  const ask = (msg, type) =>
    new Promise((resolve) => {
      const on = (m) => {
        if (m.type === type) {
          receivers.off('message', on);
          resolve(m);
        }
      };
      receivers.on('message', on);
      receivers.send(msg);
    });
  return { receivers, ask };
}
