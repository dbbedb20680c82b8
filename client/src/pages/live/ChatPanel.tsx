import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ChatMessage } from '@contracts/live';
import type { LiveClient } from '../../live/LiveClient';
import { useFormat } from '../../lib/format';

/** Messages are shown in the viewer's own zone. */
const LOCAL_ZONE = Intl.DateTimeFormat().resolvedOptions().timeZone;

interface Props {
  client: LiveClient;
  chat: ChatMessage[];
  /** Sending needs a joined class. */
  disabled: boolean;
}

/** The class's chat: messages and questions from the teacher and every classroom. */
export function ChatPanel({ client, chat, disabled }: Props) {
  const { t } = useTranslation();
  const format = useFormat();
  const [text, setText] = useState('');
  const [question, setQuestion] = useState(false);
  const [sending, setSending] = useState(false);
  const listRef = useRef<HTMLOListElement>(null);

  // Follow new messages.
  useEffect(() => {
    const list = listRef.current;
    if (list) list.scrollTop = list.scrollHeight;
  }, [chat.length]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const value = text.trim();
    if (!value || sending) return;
    setSending(true);
    const sent = await client.sendChat(value, question ? 'question' : 'chat');
    setSending(false);
    if (sent) {
      setText('');
      setQuestion(false);
    }
  };

  return (
    <aside className="card chat-panel" aria-label={t('live.chat.title')}>
      <h2>{t('live.chat.title')}</h2>
      <ol className="chat-list" ref={listRef} aria-live="polite">
        {chat.length === 0 && <li className="muted chat-empty">{t('live.chat.empty')}</li>}
        {chat.map((message) => (
          <li
            key={message.id}
            className={message.kind === 'question' ? 'chat-message chat-question' : 'chat-message'}
            data-testid="chat-message"
            data-kind={message.kind}
          >
            <div className="chat-meta">
              <strong>{message.author.displayName}</strong>
              {message.kind === 'question' && <span className="tag tag-warning">{t('live.chat.question')}</span>}
              <time className="muted small" dateTime={message.createdAt}>
                {format.time(message.createdAt, LOCAL_ZONE)}
              </time>
            </div>
            <p className="chat-text">{message.text}</p>
          </li>
        ))}
      </ol>
      <form className="chat-form" onSubmit={(event) => void submit(event)}>
        <label className="visually-hidden" htmlFor="chat-input">
          {t('live.chat.label')}
        </label>
        <input
          id="chat-input"
          data-testid="chat-input"
          value={text}
          maxLength={1000}
          autoComplete="off"
          placeholder={t('live.chat.placeholder')}
          onChange={(event) => setText(event.target.value)}
        />
        <div className="chat-actions">
          <label className="checkbox">
            <input type="checkbox" checked={question} onChange={(event) => setQuestion(event.target.checked)} />
            {t('live.chat.asQuestion')}
          </label>
          <button type="submit" data-testid="chat-send" disabled={disabled || sending || text.trim() === ''}>
            {sending ? t('live.chat.sending') : t('live.chat.send')}
          </button>
        </div>
      </form>
    </aside>
  );
}
