import { Injectable } from '@nestjs/common';
import type { LiveEventName, LiveEvents } from '../contracts/live.js';

/** How the live class reaches sockets; the gateway attaches it once the namespace exists. */
export interface LiveChannels {
  toClass(sessionId: number, event: LiveEventName, payload: unknown, exceptPeerId?: string): void;
  /** The classrooms in the class (not its teacher or observers). */
  toAudience(sessionId: number, event: LiveEventName, payload: unknown): void;
  toPeer(peerId: string, event: LiveEventName, payload: unknown): void;
  toClassrooms(classroomIds: number[], event: LiveEventName, payload: unknown): void;
  /** Closes the peer's socket (after what was sent to it has gone out). */
  disconnectPeer(peerId: string): void;
}

/** Pushes to the class, one peer or booked classrooms, typed over LiveEvents: a payload that drifts fails the build. */
@Injectable()
export class LiveNotifier {
  private channels?: LiveChannels;

  attach(channels: LiveChannels): void {
    this.channels = channels;
  }

  toClass<E extends LiveEventName>(sessionId: number, event: E, payload: LiveEvents[E], exceptPeerId?: string): void {
    this.channels?.toClass(sessionId, event, payload, exceptPeerId);
  }

  toAudience<E extends LiveEventName>(sessionId: number, event: E, payload: LiveEvents[E]): void {
    this.channels?.toAudience(sessionId, event, payload);
  }

  toPeer<E extends LiveEventName>(peerId: string, event: E, payload: LiveEvents[E]): void {
    this.channels?.toPeer(peerId, event, payload);
  }

  toClassrooms<E extends LiveEventName>(classroomIds: number[], event: E, payload: LiveEvents[E]): void {
    this.channels?.toClassrooms(classroomIds, event, payload);
  }

  disconnectPeer(peerId: string): void {
    this.channels?.disconnectPeer(peerId);
  }
}
