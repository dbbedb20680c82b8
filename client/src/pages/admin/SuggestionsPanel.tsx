import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ClassSessionDto, CoverageRowDto, SuggestionDto } from '@contracts/api';
import { useBookClassroom, useSuggestions } from '../../api/scheduling';
import { BookingError } from '../../components/BookingError';
import { Empty, QueryView } from '../../components/QueryView';
import { useFormat } from '../../lib/format';

function SuggestionItem({
  suggestion,
  classroomId,
  onBooked,
}: {
  suggestion: SuggestionDto;
  classroomId: number;
  onBooked: (session: ClassSessionDto) => void;
}) {
  const { t } = useTranslation();
  const format = useFormat();
  const book = useBookClassroom();
  const { session } = suggestion;
  const send = (allowGradeMismatch: boolean) =>
    book.mutate(
      { sessionId: session.id, classroomId, ...(allowGradeMismatch ? { allowGradeMismatch } : {}) },
      { onSuccess: onBooked },
    );

  return (
    <li className="suggestion" data-testid="suggestion-item" data-session-id={session.id}>
      <div className="suggestion-main">
        <div className="suggestion-text">
          <strong>{session.title}</strong>
          <span className="muted">
            {t('schedule.teacher', { name: session.teacher.displayName })}
            {' · '}
            {format.span(session.startsAt, session.endsAt, session.timezone)}
          </span>
          <span className="muted">{t('coverage.alreadyBooked', { count: suggestion.bookedClassrooms })}</span>
        </div>
        <button type="button" disabled={book.isPending} onClick={() => send(false)} data-testid="suggestion-book">
          {book.isPending ? t('schedule.booking') : t('coverage.book')}
        </button>
      </div>
      {book.isError && <BookingError error={book.error} pending={book.isPending} onBookAnyway={() => send(true)} />}
    </li>
  );
}

interface Props {
  /** The cell's current row: it follows the refetched report, so the gap shrinks as sessions are booked. */
  row: CoverageRowDto;
  from: string;
  to: string;
  onClose: () => void;
}

/** Sessions of the subject in the range this classroom could join, best first, each one click to book. */
export function SuggestionsPanel({ row, from, to, onClose }: Props) {
  const { t } = useTranslation();
  const format = useFormat();
  const suggestions = useSuggestions({ classroomId: row.classroomId, subjectId: row.subjectId, from, to });
  const [booked, setBooked] = useState<ClassSessionDto | null>(null);
  const subject = format.name({ nameZh: row.subjectNameZh, nameEn: row.subjectNameEn });

  return (
    <aside className="card session-panel" data-testid="suggestions-panel">
      <button type="button" className="button-secondary panel-close" onClick={onClose} data-testid="suggestions-close">
        {t('timetable.close')}
      </button>
      <h2>{t('coverage.suggestions')}</h2>
      <p>
        <strong>
          {row.schoolName} · {row.classroomName} · {subject}
        </strong>
      </p>
      <p className={row.gap > 0 ? 'gap-text' : 'met-text'} data-testid="suggestions-gap">
        {row.gap > 0
          ? t('coverage.gapLeft', { count: row.gap, booked: row.booked, required: row.required })
          : t('coverage.gapFilled', { booked: row.booked, required: row.required })}
      </p>
      {booked && (
        <p className="alert alert-success" role="status" data-testid="suggestion-booked">
          {t('coverage.bookedInto', { title: booked.title, time: format.span(booked.startsAt, booked.endsAt, booked.timezone) })}
        </p>
      )}
      <QueryView query={suggestions}>
        {(list) =>
          list.length === 0 ? (
            <Empty>{t('coverage.noSuggestions')}</Empty>
          ) : (
            <ul className="suggestion-list">
              {list.map((suggestion) => (
                <SuggestionItem
                  key={suggestion.session.id}
                  suggestion={suggestion}
                  classroomId={row.classroomId}
                  onBooked={setBooked}
                />
              ))}
            </ul>
          )
        }
      </QueryView>
    </aside>
  );
}
