import { useTranslation } from 'react-i18next';
import { ERROR_CODES, errorCode } from '../lib/errors';
import { ErrorMessage } from './ErrorMessage';

interface Props {
  error: unknown;
  /** Resend the booking with `allowGradeMismatch: true`; offered only after a grade-mismatch refusal. */
  onBookAnyway?: () => void;
  pending?: boolean;
}

/**
 * Why a classroom could not be booked. A busy room (409) names the session it is taken by in the server's
 * message; a room of another grade (409 GRADE_MISMATCH) can still be booked on purpose.
 */
export function BookingError({ error, onBookAnyway, pending = false }: Props) {
  const { t } = useTranslation();
  const mismatch = errorCode(error) === ERROR_CODES.gradeMismatch;
  return (
    <ErrorMessage error={error} testId="booking-error" overrides={{ 409: t('schedule.classroomBusy') }}>
      {mismatch && onBookAnyway && (
        <p>
          <button type="button" className="button-secondary" disabled={pending} onClick={onBookAnyway} data-testid="book-anyway">
            {pending ? t('schedule.booking') : t('schedule.bookAnyway')}
          </button>
        </p>
      )}
    </ErrorMessage>
  );
}
