import { useTranslation } from 'react-i18next';
import { useFormat } from '../lib/format';
import { addDays } from '../lib/time';

interface Props {
  monday: string;
  onChange: (monday: string) => void;
  /** The Monday of the current week: "this week" is offered when another week is shown. */
  thisMonday: string;
  /** How many weeks the page shows from `monday` (the label spans them all). */
  weeks?: number;
}

/** "← previous week · Mar 3 – Mar 9 · next week →". */
export function WeekNav({ monday, onChange, thisMonday, weeks = 1 }: Props) {
  const { t } = useTranslation();
  const format = useFormat();
  return (
    <div className="week-nav" role="group" aria-label={t('schedule.weekNav')}>
      <button type="button" className="button-secondary" onClick={() => onChange(addDays(monday, -7))} data-testid="week-previous">
        ← {t('schedule.previousWeek')}
      </button>
      <strong className="week-label" data-testid="week-label">
        {t('schedule.weekRange', { from: format.day(monday, false), to: format.day(addDays(monday, 7 * weeks - 1), false) })}
      </strong>
      <button type="button" className="button-secondary" onClick={() => onChange(addDays(monday, 7))} data-testid="week-next">
        {t('schedule.nextWeek')} →
      </button>
      {monday !== thisMonday && (
        <button type="button" className="button-secondary" onClick={() => onChange(thisMonday)} data-testid="week-current">
          {t('schedule.thisWeek')}
        </button>
      )}
    </div>
  );
}
