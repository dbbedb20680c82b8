import { createHmac } from 'node:crypto';
import type { TransportInfo } from '../contracts/live.js';

export const TURN_CREDENTIALS = Symbol('TURN_CREDENTIALS');
export type TurnCredentials = (userId: number) => TransportInfo['iceServers'];

/**
 * TURN for classrooms behind strict firewalls, with coturn's "REST API" credentials: the username is the
 * expiry time and a label, the password an HMAC of it with the shared secret, so nothing is stored per user
 * and a leaked credential stops working after `ttlSeconds`.
 */
export function turnCredentials(urls: string | undefined, secret: string | undefined, ttlSeconds = 6 * 3600): TurnCredentials {
  if (!urls || !secret) return () => [];
  const list = urls.split(',');
  return (userId) => {
    const username = `${Math.floor(Date.now() / 1000) + ttlSeconds}:tongke-${userId}`;
    const credential = createHmac('sha1', secret).update(username).digest('base64');
    return [{ urls: list, username, credential }];
  };
}
