import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { RECORDING_STATUSES, type RecordingDto, type RecordingStatus, type RecordingStorageDto } from '@contracts/api';
import { useRecordings, useRecordingStorage } from '../../api/recordings';
import { Pagination } from '../../components/Pagination';
import { Empty, QueryView } from '../../components/QueryView';
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
      <div className="toolbar">
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
      </div>
      <QueryView query={recordings}>
        {(result) => (
          <div className={recordings.isPlaceholderData ? 'stale' : undefined}>
            <p className="total" data-testid="recording-total">
              {t('recording.admin.total', { count: result.total })}
            </p>
            {result.items.length === 0 ? (
              <Empty>{t('recording.admin.empty')}</Empty>
            ) : (
              <div className="table-wrap">
                <table>
                  <thead>
                    <tr>
                      <th>{t('recording.admin.lessonColumn')}</th>
                      <th>{t('recording.admin.taughtAt')}</th>
                      <th>{t('recording.admin.status')}</th>
                      <th>{t('recording.admin.progress')}</th>
                      <th>{t('recording.admin.size')}</th>
                      <th>{t('recording.admin.duration')}</th>
                      <th>{t('recording.admin.error')}</th>
                      <th>{t('common.actions')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {result.items.map((recording) => (
                      <RecordingRow key={recording.id} recording={recording} />
                    ))}
                  </tbody>
                </table>
              </div>
            )}
            <Pagination
              page={result.page}
              pageSize={result.pageSize}
              total={result.total}
              onChange={(next) => update({ page: next })}
            />
          </div>
        )}
      </QueryView>
    </section>
  );
}
