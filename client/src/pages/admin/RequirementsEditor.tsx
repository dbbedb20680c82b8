import { useState, type SubmitEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useGrades, useSubjects } from '../../api/catalogue';
import { useCurriculumRequirements, useSaveRequirement } from '../../api/scheduling';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Empty, QueryView } from '../../components/QueryView';
import { ReferenceSelect } from '../../components/ReferenceSelect';
import { useFormat } from '../../lib/format';

const EMPTY = { gradeId: null as number | null, subjectId: null as number | null, periodsPerWeek: '' };

/** Periods per week each grade needs of each subject: what the coverage matrix measures against. */
export function RequirementsEditor() {
  const { t } = useTranslation();
  const format = useFormat();
  const grades = useGrades();
  const subjects = useSubjects();
  const requirements = useCurriculumRequirements();
  const save = useSaveRequirement();
  const [values, setValues] = useState(EMPTY);
  const set = (changes: Partial<typeof EMPTY>) => setValues((current) => ({ ...current, ...changes }));

  const nameOf = (items: { id: number; nameZh: string; nameEn: string }[] | undefined, id: number) => {
    const item = items?.find((candidate) => candidate.id === id);
    return item ? format.name(item) : String(id);
  };

  const submit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (values.gradeId === null || values.subjectId === null || values.periodsPerWeek === '') return;
    save.mutate(
      { gradeId: values.gradeId, subjectId: values.subjectId, periodsPerWeek: Number(values.periodsPerWeek) },
      { onSuccess: () => setValues(EMPTY) },
    );
  };

  return (
    <details className="card requirements">
      <summary>
        <h2>{t('coverage.requirements')}</h2>
      </summary>
      <p className="muted">{t('coverage.requirementsHint')}</p>
      <QueryView query={requirements}>
        {(list) =>
          list.length === 0 ? (
            <Empty>{t('coverage.noRequirements')}</Empty>
          ) : (
            <div className="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th>{t('coverage.grade')}</th>
                    <th>{t('coverage.subject')}</th>
                    <th>{t('coverage.periodsPerWeek')}</th>
                    <th>{t('common.actions')}</th>
                  </tr>
                </thead>
                <tbody>
                  {[...list]
                    .sort((a, b) => a.gradeId - b.gradeId || a.subjectId - b.subjectId)
                    .map((requirement) => (
                      <tr key={`${requirement.gradeId}-${requirement.subjectId}`} data-testid="requirement-row">
                        <td>{nameOf(grades.data, requirement.gradeId)}</td>
                        <td>{nameOf(subjects.data, requirement.subjectId)}</td>
                        <td>{requirement.periodsPerWeek}</td>
                        <td>
                          <button
                            type="button"
                            className="button-secondary"
                            onClick={() =>
                              setValues({
                                gradeId: requirement.gradeId,
                                subjectId: requirement.subjectId,
                                periodsPerWeek: String(requirement.periodsPerWeek),
                              })
                            }
                          >
                            {t('common.edit')}
                          </button>
                        </td>
                      </tr>
                    ))}
                </tbody>
              </table>
            </div>
          )
        }
      </QueryView>
      <form className="inline-form" onSubmit={submit}>
        <ReferenceSelect
          required
          items={grades.data}
          value={values.gradeId}
          onChange={(gradeId) => set({ gradeId })}
          emptyLabel={t('coverage.grade')}
          testId="requirement-grade"
        />
        <ReferenceSelect
          required
          items={subjects.data}
          value={values.subjectId}
          onChange={(subjectId) => set({ subjectId })}
          emptyLabel={t('coverage.subject')}
          testId="requirement-subject"
        />
        <input
          type="number"
          required
          min={0}
          max={40}
          step={1}
          value={values.periodsPerWeek}
          placeholder={t('coverage.periodsPerWeek')}
          aria-label={t('coverage.periodsPerWeek')}
          onChange={(event) => set({ periodsPerWeek: event.target.value })}
          data-testid="requirement-periods"
        />
        <button type="submit" disabled={save.isPending} data-testid="requirement-save">
          {save.isPending ? t('common.saving') : t('common.save')}
        </button>
      </form>
      {save.isError && <ErrorMessage error={save.error} testId="requirement-error" />}
    </details>
  );
}
