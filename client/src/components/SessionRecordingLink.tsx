import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { ClassSessionDto } from '@contracts/api';

type RecordedSession = Pick<ClassSessionDto, 'id' | 'status' | 'recordingId'>;

/** Whether a session has something to watch: its live class with rewind, or the replay of an ended one. */
export function hasRecordingLink(session: RecordedSession): boolean {
  return session.recordingId !== null && (session.status === 'live' || session.status === 'ended');
}

/** "Watch live with rewind" while the class runs, "Replay" once it has ended; nothing without a recording. */
export function SessionRecordingLink({ session }: { session: RecordedSession }) {
  const { t } = useTranslation();
  if (!hasRecordingLink(session)) return null;
  const live = session.status === 'live';
  return (
    <Link
      to={live ? `/sessions/${session.id}/recording` : `/recordings/${session.recordingId}`}
      className="button-link button-secondary"
      data-testid={live ? 'watch-live-rewind' : 'session-replay'}
      data-session-id={session.id}
    >
      {live ? t('recording.watchLive') : t('recording.replay')}
    </Link>
  );
}
