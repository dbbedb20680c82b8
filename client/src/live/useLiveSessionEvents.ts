import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { LiveEvent, type SessionLiveEvent } from '@contracts/live';
import { scheduleKeys } from '../api/scheduling';
import { connectLive } from './signaling';

export interface LiveSessionEvents {
  /** Classes announced live since the page opened, last announcement last. */
  live: SessionLiveEvent[];
  /** Classes announced ended since the page opened. */
  ended: number[];
}

/**
 * A classroom device's "today" page hears the moment one of its classes starts or ends (`session:live`,
 * `session:ended`), without joining anything. Each event also refetches the schedule so statuses catch up; so
 * does a reconnect, which may have missed some.
 */
export function useLiveSessionEvents(): LiveSessionEvents {
  const queryClient = useQueryClient();
  const [events, setEvents] = useState<LiveSessionEvents>({ live: [], ended: [] });
  useEffect(() => {
    const socket = connectLive();
    const refresh = () => void queryClient.invalidateQueries({ queryKey: scheduleKeys.all });
    let connectedBefore = false;
    socket.on('connect', () => {
      if (connectedBefore) refresh();
      connectedBefore = true;
    });
    socket.on(LiveEvent.SessionLive, (event) => {
      setEvents((current) => ({
        live: [...current.live.filter((e) => e.sessionId !== event.sessionId), event],
        ended: current.ended.filter((id) => id !== event.sessionId),
      }));
      refresh();
    });
    socket.on(LiveEvent.SessionEnded, (event) => {
      setEvents((current) => ({
        live: current.live.filter((e) => e.sessionId !== event.sessionId),
        ended: current.ended.includes(event.sessionId) ? current.ended : [...current.ended, event.sessionId],
      }));
      refresh();
    });
    return () => {
      socket.removeAllListeners();
      socket.disconnect();
    };
  }, [queryClient]);
  return events;
}
