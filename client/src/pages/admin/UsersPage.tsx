import { useState, type SubmitEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ROLES, type CreateUserRequest, type Role, type SchoolDto, type UserDto } from '@contracts/api';
import { useCreateUser, useSchools, useUpdateUser, useUsers } from '../../api/admin';
import { ErrorMessage } from '../../components/ErrorMessage';
import { PagedList } from '../../components/PagedList';
import { useFormat } from '../../lib/format';
import { parseId, parsePage, useFilterParams } from '../../lib/params';

const PAGE_SIZE = 20;

function isRole(value: string | null): value is Role {
  return (ROLES as readonly (string | null)[]).includes(value);
}

function SchoolOptions({ schools, emptyLabel }: { schools: SchoolDto[]; emptyLabel: string }) {
  return (
    <>
      <option value="">{emptyLabel}</option>
      {schools.map((school) => (
        <option key={school.id} value={school.id}>
          {school.name}
        </option>
      ))}
    </>
  );
}

const EMPTY_USER = { email: '', password: '', displayName: '', role: 'teacher' as Role, schoolId: null as number | null };

function NewUser({ schools }: { schools: SchoolDto[] }) {
  const { t } = useTranslation();
  const [values, setValues] = useState(EMPTY_USER);
  const create = useCreateUser();
  const set = (changes: Partial<typeof EMPTY_USER>) => setValues((current) => ({ ...current, ...changes }));

  const submit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    const request: CreateUserRequest = {
      email: values.email.trim(),
      password: values.password,
      displayName: values.displayName.trim(),
      role: values.role,
      schoolId: values.schoolId,
    };
    create.mutate(request, { onSuccess: () => setValues(EMPTY_USER) });
  };

  return (
    <form className="form" onSubmit={submit}>
      <div className="form-row">
        <label>
          <span>{t('users.displayName')}</span>
          <input
            required
            maxLength={100}
            value={values.displayName}
            onChange={(event) => set({ displayName: event.target.value })}
            data-testid="user-name-input"
          />
        </label>
        <label>
          <span>{t('users.email')}</span>
          <input
            type="email"
            required
            autoComplete="off"
            value={values.email}
            onChange={(event) => set({ email: event.target.value })}
            data-testid="user-email-input"
          />
        </label>
        <label>
          <span>{t('users.password')}</span>
          <input
            type="password"
            required
            autoComplete="new-password"
            value={values.password}
            onChange={(event) => set({ password: event.target.value })}
            minLength={10}
            aria-describedby="user-password-input-rule"
            data-testid="user-password-input"
          />
          <small id="user-password-input-rule" className="field-hint">{t('users.passwordRule')}</small>
        </label>
      </div>
      <div className="form-row">
        <label>
          <span>{t('users.role')}</span>
          <select
            value={values.role}
            onChange={(event) => set({ role: event.target.value as Role })}
            data-testid="user-role-select"
          >
            {ROLES.map((role) => (
              <option key={role} value={role}>
                {t(`role.${role}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>{t('users.school')}</span>
          <select
            value={values.schoolId ?? ''}
            onChange={(event) => set({ schoolId: parseId(event.target.value) ?? null })}
            data-testid="user-school-select"
          >
            <SchoolOptions schools={schools} emptyLabel={t('users.noSchool')} />
          </select>
        </label>
      </div>
      {create.isError && <ErrorMessage error={create.error} testId="user-error" />}
      <div className="form-actions">
        <button type="submit" disabled={create.isPending} data-testid="user-save">
          {create.isPending ? t('common.saving') : t('common.save')}
        </button>
      </div>
    </form>
  );
}

function UserRow({ user, schools }: { user: UserDto; schools: SchoolDto[] }) {
  const { t } = useTranslation();
  const format = useFormat();
  const update = useUpdateUser();
  const school = schools.find((candidate) => candidate.id === user.schoolId);
  return (
    <tr data-testid="user-row">
      <td>{user.displayName}</td>
      <td>{user.email}</td>
      <td>{t(`role.${user.role}`)}</td>
      <td>{school?.name ?? user.schoolId ?? '—'}</td>
      <td>
        <span className={user.isActive ? 'tag tag-published' : 'tag tag-draft'}>
          {user.isActive ? t('users.isActive') : t('users.inactive')}
        </span>
      </td>
      <td>{format.date(user.createdAt)}</td>
      <td className="actions">
        <button
          type="button"
          className="button-secondary"
          disabled={update.isPending}
          onClick={() => update.mutate({ id: user.id, isActive: !user.isActive })}
          data-testid="user-toggle-active"
        >
          {user.isActive ? t('users.deactivate') : t('users.activate')}
        </button>
        {update.isError && <ErrorMessage error={update.error} />}
      </td>
    </tr>
  );
}

export function UsersPage() {
  const { t } = useTranslation();
  const [params, update] = useFilterParams();
  const roleParam = params.get('role');
  const role = isRole(roleParam) ? roleParam : undefined;
  const schoolId = parseId(params.get('schoolId'));
  const page = parsePage(params.get('page'));
  const users = useUsers({ role, schoolId, page, pageSize: PAGE_SIZE });
  const schools = useSchools();
  const schoolList = schools.data ?? [];

  return (
    <section>
      <title>{`${t('users.title')} · ${t('app.name')}`}</title>
      <h1>{t('users.title')}</h1>
      <section className="card">
        <h2>{t('users.newUser')}</h2>
        <NewUser schools={schoolList} />
      </section>
      <PagedList
        query={users}
        filters={
          <>
            <label className="inline-field">
              <span>{t('users.role')}</span>
              <select value={role ?? ''} onChange={(event) => update({ role: event.target.value })} data-testid="user-role-filter">
                <option value="">{t('users.allRoles')}</option>
                {ROLES.map((candidate) => (
                  <option key={candidate} value={candidate}>
                    {t(`role.${candidate}`)}
                  </option>
                ))}
              </select>
            </label>
            <label className="inline-field">
              <span>{t('users.school')}</span>
              <select
                value={schoolId ?? ''}
                onChange={(event) => update({ schoolId: event.target.value })}
                data-testid="user-school-filter"
              >
                <SchoolOptions schools={schoolList} emptyLabel={t('users.allSchools')} />
              </select>
            </label>
          </>
        }
        total={{ testId: 'user-total', text: (count) => t('users.total', { count }) }}
        empty={t('users.empty')}
        columns={[
          t('users.displayName'),
          t('users.email'),
          t('users.role'),
          t('users.school'),
          t('users.active'),
          t('users.createdAt'),
          t('common.actions'),
        ]}
        onPage={(next) => update({ page: next })}
      >
        {(user) => <UserRow key={user.id} user={user} schools={schoolList} />}
      </PagedList>
    </section>
  );
}
