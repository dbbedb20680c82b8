import { useTranslation } from 'react-i18next';
import type { ClassSessionDto } from '@contracts/api';
import { useSetSessionRecording } from '../api/scheduling';
import { ErrorMessage } from './ErrorMessage';

/** "Record this class": can be changed until the class starts (the session's teacher or an admin). */
export function RecordToggle({ session }: { session: Pick<ClassSessionDto, 'id' | 'record'> }) {
  const { t } = useTranslation();
  const update = useSetSessionRecording(session.id);
  // The wanted value while the change is on its way, then the server's answer: a list showing the session may
  // still be refetching it.
  const checked = update.isPending ? update.variables.record : update.isSuccess ? update.data.record : session.record;
  return (
    <div className="record-toggle">
      <label className="checkbox" title={t('recording.recordHint')}>
        <input
          type="checkbox"
          checked={checked}
          disabled={update.isPending}
          onChange={(event) => update.mutate({ record: event.target.checked })}
          data-testid="session-record"
          data-session-id={session.id}
        />
        <span>{t('recording.record')}</span>
      </label>
      {update.isError && <ErrorMessage error={update.error} testId="session-record-error" />}
    </div>
  );
}
