import { useTranslation } from 'react-i18next';
import type { RecordingStatus } from '@contracts/api';

export function RecordingStatusTag({ status }: { status: RecordingStatus }) {
  const { t } = useTranslation();
  return (
    <span className={`tag tag-recording-${status}`} data-testid="recording-status" data-status={status}>
      {t(`recordingStatus.${status}`)}
    </span>
  );
}

/** How far the processing of a finished class has come (0–100, as the server reports it). */
export function RecordingProgress({ percent, testId }: { percent: number; testId?: string }) {
  const { t } = useTranslation();
  const value = Math.max(0, Math.min(100, Math.round(percent)));
  return (
    <span className="progress-line">
      <progress value={value} max={100} aria-label={t('recording.progressLabel')} data-testid={testId} />
      <span className="percent">{t('recording.percent', { percent: value })}</span>
    </span>
  );
}
