import { useMutation } from '@tanstack/react-query';
import { useState, type SubmitEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router';
import type { Role } from '@contracts/api';
import { login } from '../api/auth';
import { ErrorMessage } from '../components/ErrorMessage';

/** Where a login lands without `?next`: a classroom screen opens on today's classes. */
const LANDING: Partial<Record<Role, string>> = { classroom: '/classroom/today' };

/** Only same-site paths: `?next=https://elsewhere` must not turn the login page into an open redirect. */
function safeNext(next: string | null, role: Role): string {
  return next && next.startsWith('/') && !next.startsWith('//') ? next : (LANDING[role] ?? '/');
}

export function LoginPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const mutation = useMutation({
    mutationFn: login,
    onSuccess: ({ user }) => navigate(safeNext(params.get('next'), user.role), { replace: true }),
  });

  const onSubmit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    mutation.mutate({ email: email.trim(), password });
  };

  return (
    <section className="narrow">
      <title>{`${t('login.title')} · ${t('app.name')}`}</title>
      <h1>{t('login.title')}</h1>
      {params.get('expired') && !mutation.isError && (
        <div className="alert alert-info" role="status">
          {t('login.sessionExpired')}
        </div>
      )}
      <form className="card form" onSubmit={onSubmit}>
        <label>
          <span>{t('login.email')}</span>
          <input
            type="email"
            name="email"
            autoComplete="username"
            required
            value={email}
            onChange={(event) => setEmail(event.target.value)}
            data-testid="login-email"
          />
        </label>
        <label>
          <span>{t('login.password')}</span>
          <input
            type="password"
            name="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(event) => setPassword(event.target.value)}
            data-testid="login-password"
          />
        </label>
        {mutation.isError && (
          <ErrorMessage error={mutation.error} overrides={{ 401: t('login.wrongCredentials') }} testId="login-error" />
        )}
        <button type="submit" disabled={mutation.isPending} data-testid="login-submit">
          {mutation.isPending ? t('login.submitting') : t('login.submit')}
        </button>
      </form>
    </section>
  );
}
