import type { AddressInfo } from 'node:net';
import { io, type Socket } from 'socket.io-client';
import { LIVE_NAMESPACE } from '../../src/contracts/live.js';
import type { TestApp } from './test-app.js';

/** The reconnect grace the live tests run with (LIVE_RECONNECT_GRACE_SECONDS), short so that they can outlast it. */
export const TEST_GRACE_SECONDS = 1;

/**
 * A fixed pause past the reconnect grace, for checks that its timer did NOT fire (no "left" for a classroom that
 * came back): half a second over it, for the write that timer would make.
 */
export const outlastGracePeriod = () => new Promise((r) => setTimeout(r, TEST_GRACE_SECONDS * 1000 + 500));

/** Starts the app's HTTP server on a free port and returns the live namespace's URL. */
export async function listenLive(t: TestApp): Promise<string> {
  await new Promise<void>((r) => t.app.getHttpServer().listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}${LIVE_NAMESPACE}`;
}

/** A live socket with `token` (websocket only, no reconnection), kept in `sockets` for closing; rejects with the handshake's refusal. */
export function connectLive(url: string, token: string, sockets: Socket[]): Promise<Socket> {
  return new Promise<Socket>((resolve, reject) => {
    const socket = io(url, { auth: { token }, transports: ['websocket'], reconnection: false });
    sockets.push(socket);
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', reject);
  });
}
