import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import type { RecordingDto } from '@contracts/api';
import { useRecording, useSessionRecording } from '../../api/recordings';
import { canManageRecording } from '../../auth/permissions';
import { useCurrentUser } from '../../auth/session';
import { QueryView } from '../../components/QueryView';
import { DeleteRecordingButton, RetryRecordingButton } from '../../components/RecordingActions';
import { RecordingProgress, RecordingStatusTag } from '../../components/RecordingStatus';
import { errorStatus } from '../../lib/errors';
import { useFormat } from '../../lib/format';
import { parseId } from '../../lib/params';
import { NotFoundPage } from '../NotFoundPage';
import { ReplayPlayer } from './ReplayPlayer';

function Processing({ recording }: { recording: RecordingDto }) {
  const { t } = useTranslation();
  return (
    <section className="card replay-processing" data-testid="replay-status" aria-live="polite">
      <h2>{t('recording.processing')}</h2>
      <p className="muted">{t('recording.processingHint')}</p>
      <RecordingProgress percent={recording.progress} testId="replay-progress" />
    </section>
  );
}

function Failed({ recording, canManage }: { recording: RecordingDto; canManage: boolean }) {
  const { t } = useTranslation();
  return (
    <div className="alert alert-error" role="alert" data-testid="replay-failed">
      <p className="alert-headline">{t('recording.failed')}</p>
      {recording.error && <p className="alert-more">{t('recording.reason', { reason: recording.error })}</p>}
      {canManage && <RetryRecordingButton recording={recording} testId="replay-retry" />}
    </div>
  );
}

function RecordingBody({ recording, canManage }: { recording: RecordingDto; canManage: boolean }) {
  const { t } = useTranslation();
  switch (recording.status) {
    case 'ready':
      return <ReplayPlayer key={`vod-${recording.id}`} recording={recording} live={false} />;
    case 'recording':
      return (
        <>
          <p className="alert alert-info" data-testid="replay-live-hint">
            {t('recording.liveHint')}
          </p>
          <ReplayPlayer key={`live-${recording.id}`} recording={recording} live />
        </>
      );
    case 'processing':
      return <Processing recording={recording} />;
    case 'failed':
      return <Failed recording={recording} canManage={canManage} />;
    case 'deleted':
      return (
        <p className="alert alert-info" data-testid="replay-deleted">
          {t('recording.deleted')}
        </p>
      );
  }
}

/** One recording: its class, and by status the player, the processing progress, the failure or the removal. */
function RecordingView({ recording }: { recording: RecordingDto }) {
  const { t } = useTranslation();
  const format = useFormat();
  const user = useCurrentUser();
  const canManage = canManageRecording(user, recording);
  const live = recording.status === 'recording';
  const playable = live || recording.status === 'ready';

  return (
    <article className="replay-page" data-testid="replay-page" data-status={recording.status} data-recording-id={recording.id}>
      <title>{`${recording.title} · ${t('app.name')}`}</title>
      <header className="replay-header">
        <h1 data-testid="replay-title">{recording.title}</h1>
        <p className="tags">
          {live ? (
            <span className="tag tag-session-live" data-testid="replay-live">
              {t('recording.live')}
            </span>
          ) : (
            <RecordingStatusTag status={recording.status} />
          )}
        </p>
        <p data-testid="replay-course">
          {t('recording.course')}
          <Link to={`/courses/${recording.courseId}`}>{recording.courseTitle}</Link>
          {recording.lessonTitle && (
            <>
              {' · '}
              {t('recording.lesson')}
              {recording.lessonTitle}
            </>
          )}
        </p>
        <p className="muted">
          {t('recording.teacher', { name: recording.teacher.displayName })}
          {' · '}
          <span data-testid="replay-date">
            {t('recording.taughtAt', { date: format.date(recording.sessionStartsAt, recording.timezone) })}
          </span>
          {recording.durationSeconds !== null && (
            <>
              {' · '}
              {t('recording.duration', { duration: format.clock(recording.durationSeconds) })}
            </>
          )}
        </p>
      </header>
      {playable && recording.error && (
        <p className="alert alert-warning" role="status" data-testid="replay-warning">
          {t('recording.warning', { message: recording.error })}
        </p>
      )}
      <RecordingBody recording={recording} canManage={canManage} />
      {canManage && recording.status !== 'deleted' && (
        <div className="actions panel-danger">
          <DeleteRecordingButton recording={recording} testId="replay-delete" label={t('recording.delete')} />
        </div>
      )}
    </article>
  );
}

export function RecordingPage() {
  const id = parseId(useParams().id);
  if (id === undefined) return <NotFoundPage />;
  return <RecordingLoader id={id} />;
}

function RecordingLoader({ id }: { id: number }) {
  const recording = useRecording(id);
  return <QueryView query={recording}>{(data) => <RecordingView recording={data} />}</QueryView>;
}

/** `sessions/:id/recording`: a class's recording, e.g. its live class with rewind. */
export function SessionRecordingPage() {
  const id = parseId(useParams().id);
  if (id === undefined) return <NotFoundPage />;
  return <SessionRecordingLoader sessionId={id} />;
}

function NoRecording({ onRetry }: { onRetry: () => void }) {
  const { t } = useTranslation();
  return (
    <section className="card" data-testid="no-recording">
      <title>{`${t('recording.noRecording')} · ${t('app.name')}`}</title>
      <h1>{t('recording.noRecording')}</h1>
      <p className="muted">{t('recording.noRecordingHint')}</p>
      <div className="actions">
        <button type="button" className="button-secondary" onClick={onRetry}>
          {t('errors.retry')}
        </button>
        <Link to="/" className="button-link button-secondary">
          {t('common.goHome')}
        </Link>
      </div>
    </section>
  );
}

function SessionRecordingLoader({ sessionId }: { sessionId: number }) {
  const recording = useSessionRecording(sessionId);
  // Before its first part is written, a class that records has no recording yet: worth trying again.
  if (recording.isError && errorStatus(recording.error) === 404) {
    return <NoRecording onRetry={() => void recording.refetch()} />;
  }
  return <QueryView query={recording}>{(data) => <RecordingView recording={data} />}</QueryView>;
}
