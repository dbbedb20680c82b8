import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useLocation } from 'react-router';
import type { Role } from '@contracts/api';
import { hasRole, useCurrentUser } from '../auth/session';

/** Pages for some roles only: visitors are sent to log in, other roles see why they can't enter. */
export function RequireRole({ roles, children }: { roles: Role[]; children: ReactNode }) {
  const { t } = useTranslation();
  const user = useCurrentUser();
  const location = useLocation();
  if (!user) {
    const next = location.pathname + location.search;
    return <Navigate to={`/login?next=${encodeURIComponent(next)}`} replace />;
  }
  if (!hasRole(user, ...roles)) {
    return (
      <div className="alert alert-error" role="alert">
        <p className="alert-headline">{t('common.forbidden')}</p>
      </div>
    );
  }
  return <>{children}</>;
}
