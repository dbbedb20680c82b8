import { useTranslation } from 'react-i18next';
import type { UnfitBookingDto } from '@contracts/api';
import { useFormat } from '../lib/format';

/**
 * Bookings the server could not carry over to a new time (the classroom is taken then). They are reported, not
 * silently dropped, so the admin can find the room another session.
 */
export function UnfitBookings({ bookings, timeZone }: { bookings: UnfitBookingDto[]; timeZone: string }) {
  const { t } = useTranslation();
  const format = useFormat();
  if (bookings.length === 0) return null;
  return (
    <div className="alert alert-warning" role="status" data-testid="unfit-bookings">
      <p className="alert-headline">{t('schedule.unfitTitle', { count: bookings.length })}</p>
      <ul className="alert-details">
        {bookings.map((booking) => (
          <li key={`${booking.sessionId}-${booking.classroomId}`} data-testid="unfit-booking">
            {booking.conflictingTitle === null
              ? t('schedule.unfitItemOther', {
                  classroom: booking.classroomName,
                  time: format.span(booking.conflictStartsAt, booking.conflictEndsAt, timeZone),
                })
              : t('schedule.unfitItem', {
                  classroom: booking.classroomName,
                  title: booking.conflictingTitle,
                  time: format.span(booking.conflictStartsAt, booking.conflictEndsAt, timeZone),
                })}
          </li>
        ))}
      </ul>
    </div>
  );
}
