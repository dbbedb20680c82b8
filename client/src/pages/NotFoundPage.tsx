import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

export function NotFoundPage() {
  const { t } = useTranslation();
  return (
    <section className="narrow">
      <title>{`${t('common.notFound')} · ${t('app.name')}`}</title>
      <h1>{t('common.notFound')}</h1>
      <p>{t('common.notFoundHint')}</p>
      <Link to="/">{t('common.goHome')}</Link>
    </section>
  );
}
