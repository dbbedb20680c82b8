import { useState, type SubmitEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ClassSessionDto, SchoolDto, SessionChangeResultDto, UnfitBookingDto } from '@contracts/api';
import { useClassrooms } from '../../api/admin';
import { useGrades } from '../../api/catalogue';
import {
  useBookClassroom,
  useCancelSeries,
  useCancelSession,
  useClassSession,
  useUnbookClassroom,
  useUpdateSeries,
  useUpdateSession,
} from '../../api/scheduling';
import { BookingError } from '../../components/BookingError';
import { ConfirmButton } from '../../components/ConfirmButton';
import { ErrorMessage } from '../../components/ErrorMessage';
import { QueryView } from '../../components/QueryView';
import { RecordToggle } from '../../components/RecordToggle';
import { SchoolSelect } from '../../components/SchoolSelect';
import { SessionRecordingLink } from '../../components/SessionRecordingLink';
import { SessionStatusTag } from '../../components/SessionStatus';
import { UnfitBookings } from '../../components/UnfitBookings';
import { useFormat } from '../../lib/format';
import { parseId } from '../../lib/params';
import { localDate, localTime, zonedToUtc } from '../../lib/time';
import { isValidSlot, TimeSlotFields } from './TimeSlotFields';

type OnChanged = (result: SessionChangeResultDto) => void;

/**
 * A change moves or cancels the session, which remounts the form that made it (its fields start from the
 * session's time), and `mutate`'s own callbacks don't run for an unmounted form: the forms use `mutateAsync` and
 * hand the result to the panel, which stays. A failure is shown from the mutation's state instead.
 */
const ignore = () => undefined;

function BookedClassrooms({ session, editable }: { session: ClassSessionDto; editable: boolean }) {
  const { t } = useTranslation();
  const { name } = useFormat();
  const grades = useGrades();
  const unbook = useUnbookClassroom(session.id);
  if (session.classrooms.length === 0) return <p className="muted">{t('schedule.noClassrooms')}</p>;
  return (
    <>
      <ul className="booked-list">
        {session.classrooms.map((room) => {
          const grade = grades.data?.find((candidate) => candidate.id === room.gradeId);
          return (
            <li key={room.classroomId} data-testid="booked-classroom" data-classroom-id={room.classroomId}>
              <span>
                {room.schoolName} · {room.classroomName}
                {grade && <span className="muted"> · {name(grade)}</span>}
                {room.gradeOverride && <span className="tag tag-warning">{t('timetable.gradeOverride')}</span>}
              </span>
              {editable && (
                <button
                  type="button"
                  className="button-danger"
                  disabled={unbook.isPending}
                  onClick={() => unbook.mutate(room.classroomId)}
                  data-testid="unbook-classroom"
                >
                  {t('timetable.remove')}
                </button>
              )}
            </li>
          );
        })}
      </ul>
      {unbook.isError && <ErrorMessage error={unbook.error} />}
    </>
  );
}

interface SessionContext {
  session: ClassSessionDto;
  schools: SchoolDto[];
  /** The timetable's school filter, the first choice for booking a room. */
  defaultSchoolId: number | undefined;
}

function BookClassroom({ session, schools, defaultSchoolId }: SessionContext) {
  const { t } = useTranslation();
  const { name } = useFormat();
  const grades = useGrades();
  const book = useBookClassroom();
  const [chosenSchool, setChosenSchool] = useState<number | undefined>();
  const [classroomId, setClassroomId] = useState<number | undefined>();
  // Until the admin picks one: the timetable's school filter, else the school of a booked room, else the first.
  const schoolId = chosenSchool ?? defaultSchoolId ?? session.classrooms[0]?.schoolId ?? schools[0]?.id;
  const classrooms = useClassrooms(schoolId ?? 0, schoolId !== undefined);
  const booked = new Set(session.classrooms.map((room) => room.classroomId));
  const available = (classrooms.data ?? []).filter((room) => !booked.has(room.id));

  const submit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (classroomId === undefined) return;
    book.mutate({ sessionId: session.id, classroomId }, { onSuccess: () => setClassroomId(undefined) });
  };

  return (
    <form className="form" onSubmit={submit}>
      <div className="form-row">
        <label>
          <span>{t('timetable.bookSchool')}</span>
          <SchoolSelect
            schools={schools}
            value={schoolId}
            onChange={(id) => {
              setChosenSchool(id);
              setClassroomId(undefined);
              book.reset();
            }}
            testId="book-school-select"
          />
        </label>
        <label>
          <span>{t('timetable.classroom')}</span>
          <select
            required
            value={classroomId ?? ''}
            onChange={(event) => {
              setClassroomId(parseId(event.target.value));
              book.reset();
            }}
            data-testid="book-classroom-select"
          >
            <option value="">{t('common.choose')}</option>
            {available.map((room) => {
              const grade = grades.data?.find((candidate) => candidate.id === room.gradeId);
              const other = room.gradeId !== session.gradeId;
              return (
                <option key={room.id} value={room.id}>
                  {grade ? `${room.name} · ${name(grade)}` : room.name}
                  {other ? ` (${t('timetable.otherGrade')})` : ''}
                </option>
              );
            })}
          </select>
        </label>
      </div>
      {book.isError && (
        <BookingError
          error={book.error}
          pending={book.isPending}
          onBookAnyway={() =>
            classroomId !== undefined &&
            book.mutate(
              { sessionId: session.id, classroomId, allowGradeMismatch: true },
              { onSuccess: () => setClassroomId(undefined) },
            )
          }
        />
      )}
      {book.isSuccess && (
        <p className="alert alert-success" role="status" data-testid="booking-done">
          {t('timetable.booked')}
        </p>
      )}
      <div className="form-actions">
        <button type="submit" disabled={book.isPending || classroomId === undefined} data-testid="book-classroom-submit">
          {book.isPending ? t('schedule.booking') : t('timetable.book')}
        </button>
      </div>
    </form>
  );
}

function EditTime({ session, onChanged }: { session: ClassSessionDto; onChanged: OnChanged }) {
  const { t } = useTranslation();
  const update = useUpdateSession(session.id);
  const zone = session.timezone;
  const [values, setValues] = useState({
    date: localDate(session.startsAt, zone),
    start: localTime(session.startsAt, zone),
    end: localTime(session.endsAt, zone),
  });
  const invalid = !isValidSlot(values);

  const submit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (invalid) return;
    update
      .mutateAsync({ startsAt: zonedToUtc(values.date, values.start, zone), endsAt: zonedToUtc(values.date, values.end, zone) })
      .then(onChanged, ignore);
  };

  return (
    <form className="form" onSubmit={submit}>
      <TimeSlotFields value={values} onChange={setValues} testIdPrefix="session-edit" />
      {update.isError && <ErrorMessage error={update.error} testId="session-edit-error" />}
      <div className="form-actions">
        <button type="submit" disabled={update.isPending || invalid} data-testid="session-edit-save">
          {update.isPending ? t('common.saving') : t('timetable.saveTime')}
        </button>
      </div>
    </form>
  );
}

function SeriesActions({
  session,
  seriesId,
  onChanged,
}: {
  session: ClassSessionDto;
  seriesId: number;
  onChanged: OnChanged;
}) {
  const { t } = useTranslation();
  const update = useUpdateSeries(seriesId);
  const cancel = useCancelSeries(seriesId);
  const zone = session.timezone;
  const [period, setPeriod] = useState({ start: localTime(session.startsAt, zone), end: localTime(session.endsAt, zone) });
  const invalid = !isValidSlot(period);

  const submit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (invalid) return;
    update.mutateAsync({ fromSessionId: session.id, periodStart: period.start, periodEnd: period.end }).then(onChanged, ignore);
  };

  return (
    <>
      <form className="form" onSubmit={submit}>
        <p className="muted">{t('timetable.seriesEditHint')}</p>
        <TimeSlotFields
          value={period}
          onChange={setPeriod}
          testIdPrefix="series-edit"
          startLabel={t('timetable.periodStart')}
          endLabel={t('timetable.periodEnd')}
        />
        {update.isError && <ErrorMessage error={update.error} testId="series-edit-error" />}
        <div className="form-actions">
          <button type="submit" disabled={update.isPending || invalid} data-testid="series-edit-save">
            {update.isPending ? t('common.saving') : t('timetable.seriesEdit')}
          </button>
        </div>
      </form>
      <div className="actions panel-danger">
        <ConfirmButton
          label={t('timetable.seriesCancel')}
          question={t('timetable.seriesCancelQuestion')}
          pending={cancel.isPending}
          pendingLabel={t('schedule.cancelling')}
          onConfirm={() => void cancel.mutateAsync({ fromSessionId: session.id }).then(onChanged, ignore)}
          testId="series-cancel"
        />
      </div>
      {cancel.isError && <ErrorMessage error={cancel.error} testId="series-cancel-error" />}
    </>
  );
}

function CancelSession({ session }: { session: ClassSessionDto }) {
  const { t } = useTranslation();
  const cancel = useCancelSession(session.id);
  return (
    <>
      <div className="actions panel-danger">
        <ConfirmButton
          label={t('timetable.cancelSession')}
          question={t('timetable.cancelQuestion', { title: session.title })}
          pending={cancel.isPending}
          pendingLabel={t('schedule.cancelling')}
          onConfirm={() => cancel.mutate()}
          testId="session-cancel"
        />
      </div>
      {cancel.isError && <ErrorMessage error={cancel.error} testId="session-cancel-error" />}
    </>
  );
}

function SessionDetails({ session, schools, defaultSchoolId }: SessionContext) {
  const { t } = useTranslation();
  const format = useFormat();
  const [unfit, setUnfit] = useState<UnfitBookingDto[]>([]);
  const onChanged: OnChanged = (result) => setUnfit(result.unfitBookings);
  // Rooms can join or leave while the class runs; its time can change only before it starts.
  const bookable = session.status === 'scheduled' || session.status === 'live';
  const movable = session.status === 'scheduled';
  // The form fields start from the session's time: a moved session gets fresh forms.
  const timeKey = `${session.startsAt}/${session.endsAt}`;

  return (
    <>
      <h2 data-testid="session-panel-title">{session.title}</h2>
      <p className="tags">
        <SessionStatusTag status={session.status} />
        <span className="tag">{format.name(session.subject)}</span>
        {session.seriesId !== null && <span className="tag">{t('timetable.weekly')}</span>}
      </p>
      <p data-testid="session-panel-time">{format.span(session.startsAt, session.endsAt, session.timezone)}</p>
      <p className="muted">
        {t('schedule.teacher', { name: session.teacher.displayName })}
        {' · '}
        {session.courseTitle}
        {session.lessonTitle && ` · ${session.lessonTitle}`}
      </p>
      {movable ? <RecordToggle session={session} /> : <SessionRecordingLink session={session} />}
      <UnfitBookings bookings={unfit} timeZone={session.timezone} />

      <h3>{t('timetable.bookedClassrooms')}</h3>
      <BookedClassrooms session={session} editable={bookable} />
      {bookable && (
        <>
          <h3>{t('timetable.bookClassroom')}</h3>
          <BookClassroom session={session} schools={schools} defaultSchoolId={defaultSchoolId} />
        </>
      )}

      {movable && (
        <>
          <h3>{t('timetable.editTime')}</h3>
          <EditTime key={timeKey} session={session} onChanged={onChanged} />
          {session.seriesId !== null && (
            <>
              <h3>{t('timetable.thisAndFollowing')}</h3>
              <SeriesActions key={timeKey} session={session} seriesId={session.seriesId} onChanged={onChanged} />
            </>
          )}
          <CancelSession session={session} />
        </>
      )}
    </>
  );
}

interface Props extends Omit<SessionContext, 'session'> {
  id: number;
  onClose: () => void;
}

/** One session: its rooms, booking more, moving and cancelling it (or the rest of its series). */
export function SessionPanel({ id, schools, defaultSchoolId, onClose }: Props) {
  const { t } = useTranslation();
  const session = useClassSession(id);
  return (
    <aside className="card session-panel" data-testid="session-panel" data-session-id={id}>
      <button type="button" className="button-secondary panel-close" onClick={onClose} data-testid="session-panel-close">
        {t('timetable.close')}
      </button>
      <QueryView query={session}>
        {(data) => <SessionDetails session={data} schools={schools} defaultSchoolId={defaultSchoolId} />}
      </QueryView>
    </aside>
  );
}
