import { useTranslation } from 'react-i18next';
import type { SessionStatus } from '@contracts/api';

export function SessionStatusTag({ status }: { status: SessionStatus }) {
  const { t } = useTranslation();
  return <span className={`tag tag-session-${status}`}>{t(`sessionStatus.${status}`)}</span>;
}
