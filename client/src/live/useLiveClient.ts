import { useEffect, useState, useSyncExternalStore } from 'react';
import { LiveClient } from './LiveClient';
import type { LiveState } from './LiveStore';

/**
 * The live class `sessionId`, joined while the calling component is mounted. Mount it under `key={sessionId}`:
 * a client belongs to one session.
 */
export function useLiveClient(sessionId: number): [LiveClient, LiveState] {
  const [client] = useState(() => new LiveClient(sessionId));
  useEffect(() => {
    client.start();
    return () => client.close();
  }, [client]);
  const { store } = client;
  const state = useSyncExternalStore(store.subscribe, store.getSnapshot, store.getSnapshot);
  return [client, state];
}
