import { useState, type SubmitEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { SCHOOL_KINDS, type CreateSchoolRequest, type SchoolKind } from '@contracts/api';
import { ErrorMessage } from '../../components/ErrorMessage';

export const EMPTY_SCHOOL: CreateSchoolRequest = { name: '', kind: 'urban', province: '', city: '', county: '' };

interface Props {
  initial: CreateSchoolRequest;
  pending: boolean;
  error: unknown;
  /** Resolves true when saved; the create form then empties itself. */
  onSubmit: (request: CreateSchoolRequest) => Promise<boolean>;
  resetOnSave?: boolean;
}

export function SchoolForm({ initial, pending, error, onSubmit, resetOnSave = false }: Props) {
  const { t } = useTranslation();
  const [values, setValues] = useState(initial);
  const set = (changes: Partial<CreateSchoolRequest>) => setValues((current) => ({ ...current, ...changes }));

  const submit = async (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    const saved = await onSubmit({
      name: values.name.trim(),
      kind: values.kind,
      province: values.province.trim(),
      city: values.city.trim(),
      county: values.county.trim(),
    });
    if (saved && resetOnSave) setValues(initial);
  };

  return (
    <form className="form" onSubmit={(event) => void submit(event)}>
      <div className="form-row">
        <label>
          <span>{t('schools.name')}</span>
          <input
            required
            maxLength={100}
            value={values.name}
            onChange={(event) => set({ name: event.target.value })}
            data-testid="school-name-input"
          />
        </label>
        <label>
          <span>{t('schools.kind')}</span>
          <select
            value={values.kind}
            onChange={(event) => set({ kind: event.target.value as SchoolKind })}
            data-testid="school-kind-select"
          >
            {SCHOOL_KINDS.map((kind) => (
              <option key={kind} value={kind}>
                {t(`schoolKind.${kind}`)}
              </option>
            ))}
          </select>
        </label>
      </div>
      <div className="form-row">
        <label>
          <span>{t('schools.province')}</span>
          <input
            required
            maxLength={50}
            value={values.province}
            onChange={(event) => set({ province: event.target.value })}
            data-testid="school-province-input"
          />
        </label>
        <label>
          <span>{t('schools.city')}</span>
          <input
            required
            maxLength={50}
            value={values.city}
            onChange={(event) => set({ city: event.target.value })}
            data-testid="school-city-input"
          />
        </label>
        <label>
          <span>{t('schools.county')}</span>
          <input
            required
            maxLength={50}
            value={values.county}
            onChange={(event) => set({ county: event.target.value })}
            data-testid="school-county-input"
          />
        </label>
      </div>
      {Boolean(error) && <ErrorMessage error={error} testId="school-error" />}
      <div className="form-actions">
        <button type="submit" disabled={pending} data-testid="school-save">
          {pending ? t('common.saving') : t('common.save')}
        </button>
      </div>
    </form>
  );
}
