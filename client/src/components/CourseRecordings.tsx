import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { RecordingDto } from '@contracts/api';
import { useRecordings } from '../api/recordings';
import { useFormat } from '../lib/format';
import { Pagination } from './Pagination';
import { Empty, QueryView } from './QueryView';
import { RecordingProgress, RecordingStatusTag } from './RecordingStatus';

const PAGE_SIZE = 12;
/** The most the API lists at once; enough to find each lesson's newest replay. */
const MAX_PAGE_SIZE = 100;

function RecordingCard({ recording }: { recording: RecordingDto }) {
  const { t } = useTranslation();
  const format = useFormat();
  const name = recording.lessonTitle ?? recording.title;
  return (
    <li className="recording-item" data-testid="recording-item" data-status={recording.status}>
      <Link to={`/recordings/${recording.id}`} className="recording-link" data-testid={`recording-link-${recording.id}`}>
        {recording.hasPoster && recording.posterUrl ? (
          <img className="recording-thumb" src={recording.posterUrl} alt={t('recording.thumbnail', { title: name })} loading="lazy" />
        ) : (
          <span className="recording-thumb recording-thumb-empty" aria-hidden="true">
            ▶
          </span>
        )}
        <span className="recording-text">
          <strong>{name}</strong>
          {recording.lessonTitle && recording.lessonTitle !== recording.title && (
            <span className="muted">{recording.title}</span>
          )}
          <span className="muted">
            {format.date(recording.sessionStartsAt, recording.timezone)}
            {' · '}
            {recording.durationSeconds === null
              ? t('recording.unknownDuration')
              : t('recording.duration', { duration: format.clock(recording.durationSeconds) })}
          </span>
          <span className="recording-state">
            {recording.status === 'recording' ? (
              <span className="tag tag-session-live">{t('recording.live')}</span>
            ) : (
              <RecordingStatusTag status={recording.status} />
            )}
            {recording.status === 'processing' && <RecordingProgress percent={recording.progress} />}
          </span>
        </span>
      </Link>
    </li>
  );
}

/** The course's recorded classes, newest first: playable, processing (with progress), failed, or live. */
export function CourseRecordings({ courseId }: { courseId: number }) {
  const { t } = useTranslation();
  const [page, setPage] = useState(1);
  const recordings = useRecordings({ courseId, page, pageSize: PAGE_SIZE });
  return (
    <section data-testid="course-recordings">
      <h2>{t('recording.courseRecordings')}</h2>
      <QueryView query={recordings}>
        {(result) => {
          // Admins are also listed removed recordings; nothing to watch there.
          const shown = result.items.filter((recording) => recording.status !== 'deleted');
          return (
            <div className={recordings.isPlaceholderData ? 'stale' : undefined}>
              {shown.length === 0 ? (
                <Empty>{t('recording.noCourseRecordings')}</Empty>
              ) : (
                <ul className="recording-list">
                  {shown.map((recording) => (
                    <RecordingCard key={recording.id} recording={recording} />
                  ))}
                </ul>
              )}
              <Pagination page={result.page} pageSize={result.pageSize} total={result.total} onChange={setPage} />
            </div>
          );
        }}
      </QueryView>
    </section>
  );
}

/** Each lesson's newest ready recording (the list comes newest class first), by lesson id. */
export function useLessonReplays(courseId: number, enabled: boolean): Map<number, RecordingDto> {
  const ready = useRecordings({ courseId, status: 'ready', pageSize: MAX_PAGE_SIZE }, enabled);
  const byLesson = new Map<number, RecordingDto>();
  for (const recording of ready.data?.items ?? []) {
    if (recording.lessonId !== null && !byLesson.has(recording.lessonId)) byLesson.set(recording.lessonId, recording);
  }
  return byLesson;
}
