import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCalendarFeed, useRotateCalendarFeed, type FeedOwner } from '../api/scheduling';
import { ErrorMessage } from './ErrorMessage';
import { QueryView } from './QueryView';

/** The feed URL as a full address: a calendar app needs the host too. */
function absolute(url: string): string {
  try {
    return new URL(url, window.location.origin).href;
  } catch {
    return url;
  }
}

type CopyState = 'idle' | 'copied' | 'failed';

/** The secret iCalendar URL of a classroom or teacher, with a copy button and (for its owner) a rotate button. */
export function CalendarFeed({ owner, id, canRotate = false }: { owner: FeedOwner; id: number; canRotate?: boolean }) {
  const { t } = useTranslation();
  const feed = useCalendarFeed(owner, id);
  const rotate = useRotateCalendarFeed(owner, id);
  const [copy, setCopy] = useState<CopyState>('idle');

  const onCopy = (url: string) => {
    // The Clipboard API needs a secure context (HTTPS or localhost); a classroom on plain HTTP copies by hand.
    if (!navigator.clipboard) {
      setCopy('failed');
      return;
    }
    navigator.clipboard.writeText(url).then(
      () => setCopy('copied'),
      () => setCopy('failed'),
    );
  };

  return (
    <section className="card calendar-feed">
      <h2>{t('schedule.calendarFeed')}</h2>
      <p className="muted">{t('schedule.calendarFeedHint')}</p>
      <QueryView query={feed}>
        {({ url }) => {
          const full = absolute(url);
          return (
            <>
              <p className="feed-url">
                <a href={full} data-testid="calendar-feed-url">
                  {full}
                </a>
              </p>
              <div className="actions">
                <button type="button" className="button-secondary" onClick={() => onCopy(full)} data-testid="calendar-feed-copy">
                  {t('schedule.copy')}
                </button>
                {canRotate && (
                  <button
                    type="button"
                    className="button-secondary"
                    disabled={rotate.isPending}
                    onClick={() => {
                      setCopy('idle');
                      rotate.mutate();
                    }}
                    data-testid="calendar-feed-rotate"
                  >
                    {rotate.isPending ? t('schedule.rotating') : t('schedule.rotate')}
                  </button>
                )}
                <span className="muted" aria-live="polite">
                  {copy === 'copied' && t('schedule.copied')}
                  {copy === 'failed' && t('schedule.copyFailed')}
                  {copy === 'idle' && rotate.isSuccess && t('schedule.rotated')}
                </span>
              </div>
              {canRotate && <p className="muted small">{t('schedule.rotateHint')}</p>}
            </>
          );
        }}
      </QueryView>
      {rotate.isError && <ErrorMessage error={rotate.error} testId="calendar-feed-error" />}
    </section>
  );
}
