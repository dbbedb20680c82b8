import type { types } from 'mediasoup';
import type { LinkQuality, MediaSource } from '../contracts/live.js';
import type { Peer } from './sfu/peer.js';

/** What happens in a live class that other parts of the server follow (attendance, the recorder). */
export interface LiveClassEvents {
  /** A connection joined (already in the class when this runs). */
  peerJoined: (peer: Peer) => void | Promise<void>;
  /** A connection left for good: closed, seat taken, or left the class (not rebuilt after a worker died). */
  peerLeft: (peer: Peer) => void | Promise<void>;
  /** A producer came into the class: sent by a peer here, or piped from another node (its owner's `remoteNode`). */
  producerAdded: (producer: types.Producer, source: MediaSource, owner: Peer) => void | Promise<void>;
  /** The teacher's media changed: a producer added, closed, paused or resumed. */
  teacherMediaChanged: () => void | Promise<void>;
  /** A classroom's link summary changed (its link report came in). */
  linkQuality: (classroomId: number, quality: LinkQuality) => void | Promise<void>;
  /** The class is ending: its media still exists while this runs (the recorder closes its last segment). */
  ending: () => void | Promise<void>;
  /** The class is closed (ended, or the server is stopping): forget it. */
  closed: () => void;
}

type Listeners = { [K in keyof LiveClassEvents]: LiveClassEvents[K][] };

/**
 * A live class's events. `emit` runs the listeners one after another and waits for each, so what follows an event
 * (the join's answer, the room's closing) comes after what the listeners did (attendance written, last segment
 * closed). A listener that fails is reported to `onError` and the others still run.
 */
export class ClassEvents {
  private readonly listeners: Listeners = { peerJoined: [], peerLeft: [], producerAdded: [], teacherMediaChanged: [], linkQuality: [], ending: [], closed: [] };

  constructor(private readonly onError: (event: keyof LiveClassEvents, e: Error) => void) {}

  on<K extends keyof LiveClassEvents>(event: K, listener: LiveClassEvents[K]): void {
    this.listeners[event].push(listener);
  }

  async emit<K extends keyof LiveClassEvents>(event: K, ...args: Parameters<LiveClassEvents[K]>): Promise<void> {
    for (const listener of this.listeners[event]) {
      try {
        await (listener as (...a: Parameters<LiveClassEvents[K]>) => void | Promise<void>)(...args);
      } catch (e) {
        this.onError(event, e as Error);
      }
    }
  }
}
