import { useTranslation } from 'react-i18next';
import { ErrorMessage } from './ErrorMessage';

interface Props {
  /** `status` of the upload mutation. */
  status: 'idle' | 'pending' | 'success' | 'error';
  percent: number;
  error: unknown;
  /** Prefix of the test ids: `${prefix}-progress`, `${prefix}-done`, `${prefix}-error`. */
  testIdPrefix: string;
}

/** A real progress bar (fed by XMLHttpRequest upload events), then "done" or the translated error. */
export function UploadStatus({ status, percent, error, testIdPrefix }: Props) {
  const { t } = useTranslation();
  if (status === 'idle') return null;
  return (
    <div className="upload-status" aria-live="polite">
      <div className="progress-line">
        <progress
          value={percent}
          max={100}
          aria-label={t('upload.progressLabel')}
          data-testid={`${testIdPrefix}-progress`}
        />
        <span className="percent">{t('upload.percent', { percent })}</span>
      </div>
      {status === 'success' && (
        <p className="alert alert-success" data-testid={`${testIdPrefix}-done`}>
          {t('upload.done')}
        </p>
      )}
      {status === 'error' && <ErrorMessage error={error} testId={`${testIdPrefix}-error`} />}
    </div>
  );
}
