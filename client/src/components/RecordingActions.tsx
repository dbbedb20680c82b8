import { useTranslation } from 'react-i18next';
import type { RecordingDto } from '@contracts/api';
import { useDeleteRecording, useRetryRecording } from '../api/recordings';
import { ConfirmButton } from './ConfirmButton';
import { ErrorMessage } from './ErrorMessage';

interface Props {
  recording: Pick<RecordingDto, 'id' | 'title'>;
  /** `${testId}`, and `${testId}-error` for a refusal. */
  testId: string;
  className?: string;
}

/** Processes a failed recording again (its session's teacher or an admin); the page then polls its progress. */
export function RetryRecordingButton({ recording, testId, className }: Props) {
  const { t } = useTranslation();
  const retry = useRetryRecording();
  return (
    <>
      <button
        type="button"
        className={className}
        disabled={retry.isPending}
        onClick={() => retry.mutate(recording.id)}
        data-testid={testId}
      >
        {retry.isPending ? t('recording.retrying') : t('recording.retry')}
      </button>
      {retry.isError && <ErrorMessage error={retry.error} testId={`${testId}-error`} />}
    </>
  );
}

/** Deletes a recording's files, in two clicks (its session's teacher or an admin). */
export function DeleteRecordingButton({ recording, testId, label }: Omit<Props, 'className'> & { label: string }) {
  const { t } = useTranslation();
  const remove = useDeleteRecording();
  return (
    <>
      <ConfirmButton
        label={label}
        question={t('recording.deleteQuestion', { title: recording.title })}
        pending={remove.isPending}
        onConfirm={() => remove.mutate(recording.id)}
        testId={testId}
      />
      {remove.isError && <ErrorMessage error={remove.error} testId={`${testId}-error`} />}
    </>
  );
}
