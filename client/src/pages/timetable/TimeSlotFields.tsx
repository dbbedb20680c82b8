import { useTranslation } from 'react-i18next';
import { InputField } from '../../components/InputField';

/** Local wall-clock values of a form: "HH:mm" times and, where a single day is meant, its "YYYY-MM-DD" date. */
export interface TimeSlot {
  date?: string;
  start: string;
  end: string;
}

export function isValidSlot(slot: TimeSlot): boolean {
  return slot.end > slot.start;
}

interface Props<T extends TimeSlot> {
  value: T;
  onChange: (value: T) => void;
  /** Test ids `${prefix}-date`, `${prefix}-start`, `${prefix}-end`. */
  testIdPrefix: string;
  startLabel?: string;
  endLabel?: string;
}

/** Date (when the slot has one), start and end in a row, and why the end must come after the start. */
export function TimeSlotFields<T extends TimeSlot>({ value, onChange, testIdPrefix, startLabel, endLabel }: Props<T>) {
  const { t } = useTranslation();
  return (
    <>
      <div className="form-row">
        {value.date !== undefined && (
          <InputField
            label={t('schedule.date')}
            type="date"
            required
            value={value.date}
            onChange={(date) => onChange({ ...value, date })}
            testId={`${testIdPrefix}-date`}
          />
        )}
        <InputField
          label={startLabel ?? t('schedule.start')}
          type="time"
          required
          value={value.start}
          onChange={(start) => onChange({ ...value, start })}
          testId={`${testIdPrefix}-start`}
        />
        <InputField
          label={endLabel ?? t('schedule.end')}
          type="time"
          required
          value={value.end}
          onChange={(end) => onChange({ ...value, end })}
          testId={`${testIdPrefix}-end`}
        />
      </div>
      {!isValidSlot(value) && <p className="field-error">{t('schedule.endBeforeStart')}</p>}
    </>
  );
}
