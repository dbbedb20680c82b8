import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useCreateSchool, useDeleteSchool, useSchools } from '../../api/admin';
import { ConfirmButton } from '../../components/ConfirmButton';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Empty, QueryView } from '../../components/QueryView';
import { EMPTY_SCHOOL, SchoolForm } from './SchoolForm';

export function SchoolsPage() {
  const { t } = useTranslation();
  const schools = useSchools();
  const create = useCreateSchool();
  const remove = useDeleteSchool();

  return (
    <section>
      <title>{`${t('schools.title')} · ${t('app.name')}`}</title>
      <h1>{t('schools.title')}</h1>
      <section className="card">
        <h2>{t('schools.newSchool')}</h2>
        <SchoolForm
          initial={EMPTY_SCHOOL}
          resetOnSave
          pending={create.isPending}
          error={create.error}
          onSubmit={(request) =>
            create.mutateAsync(request).then(
              () => true,
              () => false,
            )
          }
        />
      </section>
      {remove.isError && <ErrorMessage error={remove.error} />}
      <QueryView query={schools}>
        {(list) =>
          list.length === 0 ? (
            <Empty>{t('schools.empty')}</Empty>
          ) : (
            <div className="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th>{t('schools.name')}</th>
                    <th>{t('schools.kind')}</th>
                    <th>{t('schools.region')}</th>
                    <th>{t('schools.classroomCount')}</th>
                    <th>{t('common.actions')}</th>
                  </tr>
                </thead>
                <tbody>
                  {list.map((school) => (
                    <tr key={school.id} data-testid="school-row">
                      <td>
                        <Link to={`/admin/schools/${school.id}`}>{school.name}</Link>
                      </td>
                      <td>
                        <span className={`tag tag-${school.kind}`}>{t(`schoolKind.${school.kind}`)}</span>
                      </td>
                      <td>{[school.province, school.city, school.county].filter(Boolean).join(' · ')}</td>
                      <td>{school.classroomCount}</td>
                      <td className="actions">
                        <Link to={`/admin/schools/${school.id}`}>{t('schools.open')}</Link>
                        <ConfirmButton
                          label={t('common.delete')}
                          question={t('common.confirmDelete', { name: school.name })}
                          pending={remove.isPending && remove.variables === school.id}
                          onConfirm={() => remove.mutate(school.id)}
                          testId="school-delete"
                        />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )
        }
      </QueryView>
    </section>
  );
}
