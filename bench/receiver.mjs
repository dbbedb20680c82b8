// Receivers for bench/fanout.mjs, in a process of their own (as classrooms would be): opens N UDP sockets,
// counts RTP packets per SSRC and socket, finds losses from sequence-number gaps, and reads the send time
// the sender wrote into each plain-RTP payload to measure forwarding delay. Talks to its parent over IPC.
import { createSocket } from 'node:dgram';

const sockets = [];
let delays = [];
let stats = new Map(); // `${socket}:${ssrc}` -> { first, last, received }
let mediaPts = new Set(); // the media payload types (RTX and padding streams are left out)

function payloadOffset(buf) {
  const cc = buf[0] & 0x0f;
  let off = 12 + cc * 4;
  if (buf[0] & 0x10) off += 4 + buf.readUInt16BE(off + 2) * 4;
  return off;
}

function onPacket(index, buf, srtp) {
  const pt = buf[1] & 0x7f;
  if (buf.length < 12 || (pt >= 64 && pt <= 95)) return; // RTCP (RFC 5761: these values are never RTP payload types)
  if (!mediaPts.has(pt)) return;
  const ssrc = buf.readUInt32BE(8);
  const seq = buf.readUInt16BE(2);
  const key = `${index}:${ssrc}`;
  let s = stats.get(key);
  if (!s) stats.set(key, (s = { first: seq, last: seq, received: 0, wraps: 0 }));
  if (seq < (s.last & 0xffff) && (s.last & 0xffff) - seq > 30000) s.wraps++;
  const ext = s.wraps * 65536 + seq;
  if (ext > s.last) s.last = ext;
  s.received++;
  if (!srtp) {
    const off = payloadOffset(buf) + 16;
    if (buf.length >= off + 8 && buf.readUInt32BE(off - 4) === 0x7ea11e55) delays.push(performance.timeOrigin + performance.now() - buf.readDoubleBE(off));
  }
}

process.on('message', async (msg) => {
  if (msg.type === 'open') {
    const ports = [];
    for (let i = 0; i < msg.count; i++) {
      const s = createSocket({ type: 'udp4', recvBufferSize: 1 << 20 });
      const index = sockets.length;
      s.on('message', (buf) => onPacket(index, buf, msg.srtp));
      await new Promise((r) => s.bind(0, '127.0.0.1', r));
      sockets.push(s);
      ports.push(s.address().port);
    }
    process.send({ type: 'ports', ports });
  } else if (msg.type === 'reset') {
    stats = new Map();
    mediaPts = new Set(msg.pts);
    delays = [];
    process.send({ type: 'reset' });
  } else if (msg.type === 'report') {
    let expected = 0;
    let received = 0;
    for (const s of stats.values()) {
      expected += s.last - s.first + 1;
      received += s.received;
    }
    delays.sort((a, b) => a - b);
    const q = (p) => (delays.length ? delays[Math.min(delays.length - 1, Math.floor(p * delays.length))] : NaN);
    process.send({ type: 'report', streams: stats.size, expected, received, p50: q(0.5), p99: q(0.99) });
  } else if (msg.type === 'close') {
    for (const s of sockets) s.close();
    process.exit(0);
  }
});
