import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { RECORDING_STATUSES, type RecordingDto, type RecordingStatus, type RecordingStorageDto } from '@contracts/api';
import { useRecordings, useRecordingStorage } from '../../api/recordings';
import { PagedList } from '../../components/PagedList';
import { QueryView } from '../../components/QueryView';
import { DeleteRecordingButton, RetryRecordingButton } from '../../components/RecordingActions';
import { RecordingProgress, RecordingStatusTag } from '../../components/RecordingStatus';
import { useFormat } from '../../lib/format';
import { parsePage, useFilterParams } from '../../lib/params';

const PAGE_SIZE = 20;

function isRecordingStatus(value: string | null): value is RecordingStatus {
  return (RECORDING_STATUSES as readonly (string | null)[]).includes(value);
}

function Storage({ storage }: { storage: RecordingStorageDto }) {
  const { t } = useTranslation();
  const format = useFormat();
  return (
    <dl className="recording-storage" data-testid="recording-storage">
      <div>
        <dt>{t('recording.admin.used')}</dt>
        <dd data-testid="recording-storage-used">{format.bytes(storage.bytesUsed)}</dd>
      </div>
      <div>
        <dt>{t('recording.admin.free')}</dt>
        <dd data-testid="recording-storage-free">{format.bytes(storage.bytesFree)}</dd>
      </div>
      <div>
        <dt>{t('recording.admin.count')}</dt>
        <dd data-testid="recording-storage-count">{storage.recordings}</dd>
      </div>
      <div>
        <dt>{t('recording.admin.retention')}</dt>
        <dd data-testid="recording-storage-retention">
          {storage.retentionDays === null
            ? t('recording.admin.forever')
            : t('recording.admin.retentionDays', { count: storage.retentionDays })}
        </dd>
      </div>
      <div>
        <dt>{t('recording.admin.directory')}</dt>
        <dd>
          <code data-testid="recording-storage-directory">{storage.directory}</code>
        </dd>
      </div>
    </dl>
  );
}

function RecordingRow({ recording }: { recording: RecordingDto }) {
  const { t } = useTranslation();
  const format = useFormat();
  return (
    <tr data-testid="recording-row" data-recording-id={recording.id} data-status={recording.status}>
      <td>
        <Link to={`/recordings/${recording.id}`}>{recording.title}</Link>
        <br />
        <span className="muted small">
          {recording.courseTitle}
          {recording.lessonTitle && ` · ${recording.lessonTitle}`}
        </span>
      </td>
      <td>{format.date(recording.sessionStartsAt, recording.timezone)}</td>
      <td>
        <RecordingStatusTag status={recording.status} />
      </td>
      <td>{recording.status === 'processing' ? <RecordingProgress percent={recording.progress} /> : '—'}</td>
      <td>{format.bytes(recording.sizeBytes)}</td>
      <td>{recording.durationSeconds === null ? '—' : format.clock(recording.durationSeconds)}</td>
      <td className="recording-error" data-testid="recording-error">
        {recording.error ?? '—'}
      </td>
      <td className="actions">
        {recording.status === 'failed' && (
          <RetryRecordingButton recording={recording} testId="recording-retry" className="button-secondary" />
        )}
        {recording.status !== 'deleted' && (
          <DeleteRecordingButton recording={recording} testId="recording-delete" label={t('common.delete')} />
        )}
      </td>
    </tr>
  );
}

/** Every recording, with the disk they take: retry failed ones, delete what is not needed. */
export function RecordingsPage() {
  const { t } = useTranslation();
  const [params, update] = useFilterParams();
  const statusParam = params.get('status');
  const status = isRecordingStatus(statusParam) ? statusParam : undefined;
  const page = parsePage(params.get('page'));
  const storage = useRecordingStorage();
  const recordings = useRecordings({ status, page, pageSize: PAGE_SIZE });

  return (
    <section>
      <title>{`${t('recording.admin.title')} · ${t('app.name')}`}</title>
      <h1>{t('recording.admin.title')}</h1>
      <section className="card">
        <h2>{t('recording.admin.storage')}</h2>
        <QueryView query={storage}>{(data) => <Storage storage={data} />}</QueryView>
      </section>
      <PagedList
        query={recordings}
        filters={
          <label className="inline-field">
            <span>{t('recording.admin.status')}</span>
            <select
              value={status ?? ''}
              onChange={(event) => update({ status: event.target.value })}
              data-testid="recording-status-filter"
            >
              <option value="">{t('recording.admin.allStatuses')}</option>
              {RECORDING_STATUSES.map((candidate) => (
                <option key={candidate} value={candidate}>
                  {t(`recordingStatus.${candidate}`)}
                </option>
              ))}
            </select>
          </label>
        }
        total={{ testId: 'recording-total', text: (count) => t('recording.admin.total', { count }) }}
        empty={t('recording.admin.empty')}
        columns={[
          t('recording.admin.lessonColumn'),
          t('recording.admin.taughtAt'),
          t('recording.admin.status'),
          t('recording.admin.progress'),
          t('recording.admin.size'),
          t('recording.admin.duration'),
          t('recording.admin.error'),
          t('common.actions'),
        ]}
        onPage={(next) => update({ page: next })}
      >
        {(recording) => <RecordingRow key={recording.id} recording={recording} />}
      </PagedList>
    </section>
  );
}
