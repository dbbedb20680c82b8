import { useState, type SubmitEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import type { ClassroomDto, CreateClassroomRequest, GradeDto, SchoolDto } from '@contracts/api';
import { useClassrooms, useCreateClassroom, useDeleteClassroom, useSchools, useUpdateClassroom, useUpdateSchool } from '../../api/admin';
import { useGrades } from '../../api/catalogue';
import { ConfirmButton } from '../../components/ConfirmButton';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Empty, QueryView } from '../../components/QueryView';
import { ReferenceSelect } from '../../components/ReferenceSelect';
import { useFormat } from '../../lib/format';
import { parseId } from '../../lib/params';
import { NotFoundPage } from '../NotFoundPage';
import { SchoolForm } from './SchoolForm';

/** Grades are needed by every row and the form; the query is shared through the cache. */
function GradeSelect({ value, onChange, testId }: { value: number | null; onChange: (gradeId: number | null) => void; testId: string }) {
  const { t } = useTranslation();
  const grades = useGrades();
  return (
    <ReferenceSelect
      required
      items={grades.data}
      value={value}
      onChange={onChange}
      emptyLabel={t('common.choose')}
      testId={testId}
    />
  );
}

const EMPTY_CLASSROOM = { name: '', gradeId: null as number | null, deviceEmail: '', devicePassword: '' };

function NewClassroom({ schoolId }: { schoolId: number }) {
  const { t } = useTranslation();
  const [values, setValues] = useState(EMPTY_CLASSROOM);
  const create = useCreateClassroom(schoolId);
  const set = (changes: Partial<typeof EMPTY_CLASSROOM>) => setValues((current) => ({ ...current, ...changes }));

  const submit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (values.gradeId === null) return;
    const request: CreateClassroomRequest = {
      name: values.name.trim(),
      gradeId: values.gradeId,
      deviceEmail: values.deviceEmail.trim(),
      devicePassword: values.devicePassword,
    };
    create.mutate(request, { onSuccess: () => setValues(EMPTY_CLASSROOM) });
  };

  return (
    <form className="form" onSubmit={submit}>
      <div className="form-row">
        <label>
          <span>{t('classrooms.name')}</span>
          <input
            required
            maxLength={100}
            value={values.name}
            onChange={(event) => set({ name: event.target.value })}
            data-testid="classroom-name-input"
          />
        </label>
        <label>
          <span>{t('classrooms.grade')}</span>
          <GradeSelect
            value={values.gradeId}
            onChange={(gradeId) => set({ gradeId })}
            testId="classroom-grade-select"
          />
        </label>
      </div>
      <div className="form-row">
        <label>
          <span>{t('classrooms.deviceEmail')}</span>
          <input
            type="email"
            required
            autoComplete="off"
            value={values.deviceEmail}
            onChange={(event) => set({ deviceEmail: event.target.value })}
            data-testid="classroom-email-input"
          />
        </label>
        <label>
          <span>{t('classrooms.devicePassword')}</span>
          <input
            type="password"
            required
            autoComplete="new-password"
            value={values.devicePassword}
            onChange={(event) => set({ devicePassword: event.target.value })}
            minLength={10}
            aria-describedby="classroom-password-input-rule"
            data-testid="classroom-password-input"
          />
          <small id="classroom-password-input-rule" className="field-hint">{t('classrooms.passwordRule')}</small>
        </label>
      </div>
      {create.isError && <ErrorMessage error={create.error} testId="classroom-error" />}
      <div className="form-actions">
        <button type="submit" disabled={create.isPending} data-testid="classroom-save">
          {create.isPending ? t('common.saving') : t('common.save')}
        </button>
      </div>
    </form>
  );
}

function ClassroomRow({ classroom, grades }: { classroom: ClassroomDto; grades: GradeDto[] }) {
  const { t } = useTranslation();
  const { name } = useFormat();
  const [editing, setEditing] = useState(false);
  const [values, setValues] = useState<{ name: string; gradeId: number | null }>({
    name: classroom.name,
    gradeId: classroom.gradeId,
  });
  const update = useUpdateClassroom(classroom.schoolId);
  const remove = useDeleteClassroom(classroom.schoolId);
  const grade = grades.find((candidate) => candidate.id === classroom.gradeId);

  const save = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (values.gradeId === null) return;
    update.mutate(
      { id: classroom.id, name: values.name.trim(), gradeId: values.gradeId },
      { onSuccess: () => setEditing(false) },
    );
  };

  return (
    <tr data-testid="classroom-row">
      {editing ? (
        <td colSpan={2}>
          <form className="inline-form" onSubmit={save}>
            <input
              required
              maxLength={100}
              value={values.name}
              onChange={(event) => setValues({ ...values, name: event.target.value })}
              aria-label={t('classrooms.name')}
            />
            <GradeSelect
              value={values.gradeId}
              onChange={(gradeId) => setValues({ ...values, gradeId })}
              testId="classroom-grade-edit"
            />
            <button type="submit" disabled={update.isPending}>
              {t('common.save')}
            </button>
            <button type="button" className="button-secondary" onClick={() => setEditing(false)}>
              {t('common.cancel')}
            </button>
          </form>
          {update.isError && <ErrorMessage error={update.error} />}
        </td>
      ) : (
        <>
          <td>{classroom.name}</td>
          <td>{grade ? name(grade) : classroom.gradeId}</td>
        </>
      )}
      <td>{classroom.deviceEmail ?? t('classrooms.noDevice')}</td>
      <td className="actions">
        {!editing && (
          <button type="button" className="button-secondary" onClick={() => setEditing(true)}>
            {t('common.edit')}
          </button>
        )}
        <ConfirmButton
          label={t('common.delete')}
          question={t('common.confirmDelete', { name: classroom.name })}
          pending={remove.isPending}
          onConfirm={() => remove.mutate(classroom.id)}
          testId="classroom-delete"
        />
        {remove.isError && <ErrorMessage error={remove.error} />}
      </td>
    </tr>
  );
}

function SchoolView({ school }: { school: SchoolDto }) {
  const { t } = useTranslation();
  const classrooms = useClassrooms(school.id);
  const grades = useGrades();
  const update = useUpdateSchool(school.id);

  return (
    <section>
      <title>{`${school.name} · ${t('app.name')}`}</title>
      <p>
        <Link to="/admin/schools">← {t('schools.title')}</Link>
      </p>
      <h1 data-testid="school-title">
        {school.name} <span className={`tag tag-${school.kind}`}>{t(`schoolKind.${school.kind}`)}</span>
      </h1>
      <section className="card">
        <h2>{t('schools.editSchool')}</h2>
        <SchoolForm
          key={JSON.stringify(school)}
          initial={school}
          pending={update.isPending}
          error={update.error}
          onSubmit={(request) =>
            update.mutateAsync(request).then(
              () => true,
              () => false,
            )
          }
        />
      </section>
      <section className="card">
        <h2>{t('classrooms.title')}</h2>
        <QueryView query={classrooms}>
          {(list) =>
            list.length === 0 ? (
              <Empty>{t('classrooms.empty')}</Empty>
            ) : (
              <div className="table-wrap">
                <table>
                  <thead>
                    <tr>
                      <th>{t('classrooms.name')}</th>
                      <th>{t('classrooms.grade')}</th>
                      <th>{t('classrooms.deviceEmail')}</th>
                      <th>{t('common.actions')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {list.map((classroom) => (
                      <ClassroomRow key={classroom.id} classroom={classroom} grades={grades.data ?? []} />
                    ))}
                  </tbody>
                </table>
              </div>
            )
          }
        </QueryView>
        <h3>{t('classrooms.newClassroom')}</h3>
        <NewClassroom schoolId={school.id} />
      </section>
    </section>
  );
}

export function SchoolPage() {
  const id = parseId(useParams().id);
  const schools = useSchools();
  if (id === undefined) return <NotFoundPage />;
  return (
    <QueryView query={schools}>
      {(list) => {
        // The API has no GET /api/schools/:id; the admin's list is small and already cached.
        const school = list.find((candidate) => candidate.id === id);
        return school ? <SchoolView school={school} /> : <NotFoundPage />;
      }}
    </QueryView>
  );
}
