import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { describeError } from '../lib/errors';

interface Props {
  error: unknown;
  testId?: string;
  /** Shown under the message, e.g. "book anyway" after a grade-mismatch warning. */
  children?: ReactNode;
  /**
   * Replace the headline for one status, e.g. 401 on the login form means "wrong password", not "log in".
   * A headline the server's error code chose is kept.
   */
  overrides?: Partial<Record<number, string>>;
  onRetry?: () => void;
}

/** An error the user can act on, in the user's language, followed by what the server said. */
export function ErrorMessage({ error, testId, overrides, onRetry, children }: Props) {
  const { t } = useTranslation();
  const info = describeError(error);
  const override = info.status === null || info.byCode ? undefined : overrides?.[info.status];
  const headline = override ?? t(`errors.${info.key}`);
  return (
    <div className="alert alert-error" role="alert" data-testid={testId}>
      <p className="alert-headline">{headline}</p>
      {info.details.length > 0 && (
        <ul className="alert-details">
          {info.details.map((detail) => (
            <li key={detail}>{detail}</li>
          ))}
        </ul>
      )}
      {info.serverMessage && <p className="alert-more">{t('errors.serverMessage', { message: info.serverMessage })}</p>}
      {info.requestId && <p className="alert-more">{t('errors.requestId', { id: info.requestId })}</p>}
      {children}
      {onRetry && (
        <button type="button" className="button-secondary" onClick={onRetry}>
          {t('errors.retry')}
        </button>
      )}
    </div>
  );
}
