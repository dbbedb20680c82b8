import { useEffect, useState, useSyncExternalStore } from 'react';
import { LiveClient, type LiveState } from './LiveClient';

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
  const state = useSyncExternalStore(client.subscribe, client.getSnapshot, client.getSnapshot);
  return [client, state];
}
