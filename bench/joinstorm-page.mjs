// The browser side of bench/joinstorm.mjs, bundled by Vite with the real client code (client/src/live) and
// served by the real server as its web app. One page holds either the teacher (fake camera and microphone,
// the real LiveClient producing simulcast video and audio) or a group of classroom devices: one LiveClient
// each, so each has its own socket.io connection, mediasoup-client Device and RTCPeerConnection.
//
// Timing is read from the outside, without changing the client: socket.io-client's Socket.prototype.emit is
// wrapped to note when each acknowledged message is sent and answered, and to hold every `class:join` until
// the storm starts (the start barrier); a remote track's `unmute` marks its first RTP packet.
import { Socket } from 'socket.io-client';
import { LiveMessage } from '../src/contracts/live.ts';
import { LiveClient } from '../client/src/live/LiveClient.ts';
import { startClass } from '../client/src/live/signaling.ts';

const now = () => performance.timeOrigin + performance.now();

/** The first acknowledgement of each message, as a phase of the join. */
const PHASES = {
  [LiveMessage.Join]: 'join',
  [LiveMessage.CreateTransport]: 'transport',
  [LiveMessage.Consume]: 'consume',
  [LiveMessage.ConnectTransport]: 'connect',
  [LiveMessage.ResumeConsumer]: 'resume',
  [LiveMessage.Produce]: 'produce',
};

const bySocket = new WeakMap(); // socket -> record
let holding = false;
const held = []; // class:join emits waiting for the barrier

const emit = Socket.prototype.emit;
Socket.prototype.emit = function (ev, ...args) {
  const rec = bySocket.get(this);
  const phase = PHASES[ev];
  const ack = args[args.length - 1];
  if (rec && phase && typeof ack === 'function') {
    if (ev !== LiveMessage.Join) rec.marks[`${phase}>`] ??= now();
    const wrapped = (...res) => {
      rec.marks[phase] ??= now();
      rec.marks[`${phase}:last`] = now();
      if (phase === 'produce') rec.produced++;
      return ack.apply(this, res);
    };
    wrapped.withError = ack.withError;
    args[args.length - 1] = wrapped;
  }
  if (rec && ev === LiveMessage.Join && holding) {
    // Hold it with the flags (ack timeout) it was emitted with; sent as is when the storm starts.
    const flags = this.flags;
    this.flags = {};
    held.push(() => {
      this.flags = flags;
      rec.t0 = now();
      rec.marks['join>'] = rec.t0;
      emit.call(this, ev, ...args);
    });
    return this;
  }
  if (rec && ev === LiveMessage.Join) rec.marks['join>'] = rec.t0 ??= now();
  return emit.call(this, ev, ...args);
};

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function until(test, timeoutMs, what) {
  const end = Date.now() + timeoutMs;
  while (!test()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

function newRecord() {
  return { t0: null, marks: {}, produced: 0, error: null, done: false };
}

/** Follows one client: ICE/DTLS connected on its receive transport, the first packet of each remote track. */
function watch(client, rec, { closeAfterFirst, probe }) {
  const seen = new Set();
  let hooked = false;
  const finish = () => {
    if (rec.done || !rec.marks.video || !rec.marks.audio || (probe && !(rec.marks['stats:video'] && rec.marks['stats:audio']))) return;
    rec.done = true;
    // Spare the page 200 video decoders: the consumers are closed here, in the browser only. The server keeps
    // sending to them, as it would to classrooms that stay in the class.
    if (closeAfterFirst) for (const consumer of client.media?.consumers.values() ?? []) consumer.close();
  };
  client.subscribe(() => {
    const state = client.getSnapshot();
    if (state.status === 'error' && !rec.error) rec.error = String(state.error?.message ?? state.error);
    const recv = client.media?.recv;
    if (!hooked && recv) {
      hooked = true;
      recv.on('connectionstatechange', (s) => {
        if (s === 'connected') rec.marks.dtls ??= now();
      });
    }
    if (probe && recv && !rec.probing) {
      // Cross-check of `unmute`: inbound-rtp packetsReceived > 0, polled every 50 ms (costly; small N only).
      rec.probing = true;
      const timer = setInterval(async () => {
        if (recv.closed || (rec.marks['stats:audio'] && rec.marks['stats:video'])) return clearInterval(timer);
        const stats = await recv.getStats().catch(() => null);
        stats?.forEach((r) => {
          if (r.type === 'inbound-rtp' && r.packetsReceived > 0) rec.marks[`stats:${r.kind}`] ??= now();
        });
        finish();
      }, 50);
    }
    for (const remote of state.remotes) {
      if (seen.has(remote.consumerId)) continue;
      seen.add(remote.consumerId);
      const first = () => {
        rec.marks[remote.kind] ??= now();
        finish();
      };
      if (remote.track.muted) remote.track.addEventListener('unmute', first, { once: true });
      else first();
    }
  });
}

let teacher = null;
const clients = [];
const records = [];

globalThis.bench = {
  /** The teacher starts the class and produces her camera and microphone. */
  async teacher({ token, sessionId }) {
    globalThis.__benchNextToken = () => token;
    await startClass(sessionId);
    teacher = new LiveClient(sessionId);
    const rec = newRecord();
    teacher.start();
    bySocket.set(teacher.socket, rec);
    await until(() => rec.produced >= 2 || teacher.getSnapshot().status === 'error', 30_000, 'the teacher to produce');
    const state = teacher.getSnapshot();
    if (state.status === 'error' || state.error) throw new Error(`teacher: ${String(state.error?.message ?? state.error)}`);
    return { produced: rec.produced };
  },

  async endClass() {
    return teacher ? await teacher.endClass() : false;
  },

  /** Connects one client per token and holds each one's `class:join` until `release`. */
  async prepare({ tokens, sessionId, closeAfterFirst, probe }) {
    const queue = [...tokens];
    globalThis.__benchNextToken = () => queue.shift() ?? '';
    holding = true;
    for (let i = 0; i < tokens.length; i++) {
      const client = new LiveClient(sessionId);
      const rec = newRecord();
      client.start();
      bySocket.set(client.socket, rec);
      watch(client, rec, { closeAfterFirst, probe });
      clients.push(client);
      records.push(rec);
    }
    await until(() => held.length === tokens.length || records.some((r) => r.error), 60_000, 'every classroom socket to connect');
    const failed = records.find((r) => r.error);
    if (failed) throw new Error(`a classroom could not connect: ${failed.error}`);
    return held.length;
  },

  /** At `startAt` (epoch ms) sends every held join; resolves when each client has its media or gave up. */
  async release({ startAt, timeoutMs }) {
    await sleep(Math.max(0, startAt - Date.now()));
    holding = false;
    for (const send of held.splice(0)) send();
    // How late a 20 ms timer fires: time this page's main thread was too busy to take an ack or an event.
    const lag = { total: 0, max: 0 };
    let last = now();
    const lagTimer = setInterval(() => {
      const t = now();
      const late = Math.max(0, t - last - 20);
      lag.total += late;
      lag.max = Math.max(lag.max, late);
      last = t;
    }, 20);
    await until(() => records.every((r) => r.done || r.error), timeoutMs, 'first packets').catch(() => undefined);
    clearInterval(lagTimer);
    return {
      lag,
      records: records.map((r) => ({ t0: r.t0, marks: r.marks, error: r.error ?? (r.done ? null : 'no media in time') })),
    };
  },

  close() {
    for (const client of clients.splice(0)) client.close();
    teacher?.close();
    teacher = null;
  },
};
