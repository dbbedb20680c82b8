// Loaded into the server by bench/joinstorm.mjs (node --import): times each acknowledged live-class message
// inside the server, from the moment socket.io hands it over to the moment the server sends its ack. It
// changes nothing else. The parent asks for the samples over IPC ('joinstorm:report') and gets them by name.
import { createRequire } from 'node:module';

// The gateway's socket.io is the copy @nestjs/platform-socket.io resolves (it may have its own).
const { Socket } = createRequire(import.meta.resolve('@nestjs/platform-socket.io'))('socket.io');

let samples = {};
let current = null;
const onevent = Socket.prototype.onevent;
Socket.prototype.onevent = function (packet) {
  current = { name: String(packet.data?.[0]), t: performance.now() };
  try {
    return onevent.call(this, packet);
  } finally {
    current = null;
  }
};
const ack = Socket.prototype.ack;
Socket.prototype.ack = function (id) {
  const send = ack.call(this, id);
  const started = current;
  if (!started) return send;
  return function (...args) {
    (samples[started.name] ??= []).push(performance.now() - started.t);
    return send.apply(this, args);
  };
};
process.on('message', (m) => {
  if (m !== 'joinstorm:report') return;
  process.send?.({ type: 'joinstorm:report', samples });
  samples = {};
});
