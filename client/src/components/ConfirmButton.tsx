import { useState } from 'react';
import { useTranslation } from 'react-i18next';

interface Props {
  label: string;
  /** Shown on the second step, e.g. 'Delete "Lesson 3"? This cannot be undone.' */
  question: string;
  pending?: boolean;
  /** Shown while `pending`; "Deleting…" unless told. */
  pendingLabel?: string;
  onConfirm: () => void;
  testId?: string;
}

/** A destructive action in two clicks, without window.confirm (which blocks the page and automated browsers). */
export function ConfirmButton({ label, question, pending = false, pendingLabel, onConfirm, testId }: Props) {
  const { t } = useTranslation();
  const [asking, setAsking] = useState(false);
  if (!asking) {
    return (
      <button type="button" className="button-danger" disabled={pending} onClick={() => setAsking(true)} data-testid={testId}>
        {pending ? (pendingLabel ?? t('common.deleting')) : label}
      </button>
    );
  }
  return (
    <span className="confirm" role="group">
      <span className="confirm-question">{question}</span>
      <button
        type="button"
        className="button-danger"
        onClick={() => {
          setAsking(false);
          onConfirm();
        }}
        data-testid={testId ? `${testId}-confirm` : undefined}
      >
        {label}
      </button>
      <button type="button" className="button-secondary" onClick={() => setAsking(false)}>
        {t('common.cancel')}
      </button>
    </span>
  );
}
