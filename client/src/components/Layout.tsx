import { useQuery } from '@tanstack/react-query';
import { Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, NavLink, Outlet, useNavigate } from 'react-router';
import { fetchMe, logout } from '../api/auth';
import { hasRole, useSession } from '../auth/session';
import { LanguageSwitch } from './LanguageSwitch';
import { Loading } from './QueryView';

function navClass({ isActive }: { isActive: boolean }) {
  return isActive ? 'nav-link active' : 'nav-link';
}

export function Layout() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const session = useSession();
  const user = session?.user ?? null;

  // Keeps the stored user current, and finds out early (401) when the token is no longer accepted.
  useQuery({
    queryKey: ['me', session?.accessToken],
    queryFn: fetchMe,
    enabled: session !== null,
    staleTime: 5 * 60 * 1000,
  });

  const onLogout = async () => {
    await logout();
    await navigate('/');
  };

  return (
    <div className="app">
      <header className="app-header">
        <Link to="/" className="brand">
          <span className="brand-mark" aria-hidden="true">
            同
          </span>
          <span className="brand-name">{t('app.fullName')}</span>
        </Link>
        <nav className="main-nav" aria-label={t('nav.mainMenu')}>
          <NavLink to="/" end className={navClass}>
            {t('nav.catalogue')}
          </NavLink>
          {hasRole(user, 'classroom') && (
            <NavLink to="/classroom/today" className={navClass} data-testid="nav-today">
              {t('nav.today')}
            </NavLink>
          )}
          {hasRole(user, 'teacher', 'admin') && (
            <NavLink to="/my/courses" className={navClass}>
              {t('nav.myCourses')}
            </NavLink>
          )}
          {hasRole(user, 'teacher') && (
            <NavLink to="/my/schedule" className={navClass} data-testid="nav-my-schedule">
              {t('nav.mySchedule')}
            </NavLink>
          )}
          {hasRole(user, 'admin') && (
            <>
              <NavLink to="/admin/timetable" className={navClass} data-testid="nav-timetable">
                {t('nav.timetable')}
              </NavLink>
              <NavLink to="/admin/coverage" className={navClass} data-testid="nav-coverage">
                {t('nav.coverage')}
              </NavLink>
              <NavLink to="/admin/recordings" className={navClass} data-testid="nav-recordings">
                {t('nav.recordings')}
              </NavLink>
              <NavLink to="/admin/schools" className={navClass}>
                {t('nav.schools')}
              </NavLink>
              <NavLink to="/admin/users" className={navClass}>
                {t('nav.users')}
              </NavLink>
            </>
          )}
        </nav>
        <div className="header-tools">
          <LanguageSwitch />
          {user ? (
            <>
              <span className="current-user" data-testid="current-user" title={t(`role.${user.role}`)}>
                {user.displayName}
              </span>
              <button type="button" className="button-secondary" data-testid="logout" onClick={() => void onLogout()}>
                {t('nav.logout')}
              </button>
            </>
          ) : (
            <Link to="/login" className="button-link">
              {t('nav.login')}
            </Link>
          )}
        </div>
      </header>
      <main className="app-main">
        {/* Some pages are loaded on first visit (see routes.tsx). */}
        <Suspense fallback={<Loading />}>
          <Outlet />
        </Suspense>
      </main>
    </div>
  );
}
