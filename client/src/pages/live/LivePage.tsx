import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { useClassSession, useMyClassroom } from '../../api/scheduling';
import { useCurrentUser } from '../../auth/session';
import { secureAddress, useSiteInfo } from '../../api/site';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Loading } from '../../components/QueryView';
import type { LiveClient } from '../../live/LiveClient';
import type { LiveState } from '../../live/LiveStore';
import { MediaAccessError } from '../../live/media';
import { useLiveClient } from '../../live/useLiveClient';
import { parseId } from '../../lib/params';
import { NotFoundPage } from '../NotFoundPage';
import { ClassroomView, ObserverView } from './ClassroomView';
import { TeacherConsole } from './TeacherConsole';

function StatusBar({ state }: { state: LiveState }) {
  const { t } = useTranslation();
  return (
    <div className={`live-status-bar live-status-${state.status}`} aria-label={t('live.stateLabel')}>
      <span className="live-dot" aria-hidden="true" />
      <strong>{t(`live.state.${state.status}`)}</strong>
      <code className="live-status-code" data-testid="live-status" data-state={state.status}>
        {state.status}
      </code>
      {state.role && <span className="tag">{t(`live.role.${state.role}`)}</span>}
    </div>
  );
}

/** What went wrong, in the user's language; the page's own refusals can't be dismissed. */
function LiveErrorView({ error, onDismiss }: { error: unknown; onDismiss?: () => void }) {
  const { t } = useTranslation();
  const dismiss = onDismiss && (
    <button type="button" className="button-secondary" onClick={onDismiss}>
      {t('live.dismiss')}
    </button>
  );
  let message: string | null = null;
  if (error instanceof MediaAccessError) {
    message = t(`live.media.${error.problem}`, { device: t(`live.device.${error.device}`) });
  } else if (error instanceof Error && error.name === 'UnsupportedError') {
    message = t('live.errors.unsupportedBrowser');
  }
  if (message !== null) {
    return (
      <div className="alert alert-error" role="alert" data-testid="live-error">
        <p className="alert-headline">{message}</p>
        {dismiss}
      </div>
    );
  }
  return (
    <ErrorMessage error={error} testId="live-error" overrides={{ 409: t('live.errors.conflict') }}>
      {dismiss}
    </ErrorMessage>
  );
}

function Ended() {
  const { t } = useTranslation();
  const user = useCurrentUser();
  const back =
    user?.role === 'classroom'
      ? { to: '/classroom/today', label: t('live.backToday') }
      : user?.role === 'teacher'
        ? { to: '/my/schedule', label: t('live.backSchedule') }
        : { to: '/', label: t('live.backHome') };
  return (
    <section className="card live-ended" data-testid="class-ended">
      <h2>{t('live.ended')}</h2>
      <p>{t('live.endedHint')}</p>
      <Link to={back.to} className="button-link">
        {back.label}
      </Link>
    </section>
  );
}

/** A classroom device not listed among the class's peers still knows its own room. */
function OwnClassroom({ client }: { client: LiveClient }) {
  const classroom = useMyClassroom();
  const id = classroom.data?.id;
  useEffect(() => {
    if (id !== undefined) client.setOwnClassroom(id);
  }, [client, id]);
  return null;
}

function LiveRoom({ sessionId }: { sessionId: number }) {
  const { t } = useTranslation();
  const user = useCurrentUser();
  const [client, state] = useLiveClient(sessionId);
  // Only for the heading: the class works without it.
  const session = useClassSession(sessionId);
  const title = session.data?.title ?? t('live.title');

  let view = null;
  if (state.status === 'ended') view = <Ended />;
  else if (state.role === 'teacher') view = <TeacherConsole client={client} state={state} />;
  else if (state.role === 'classroom') view = <ClassroomView client={client} state={state} />;
  else if (state.role === 'observer') view = <ObserverView client={client} state={state} />;
  else if (state.status !== 'error') view = <Loading />;

  return (
    <section className="live-page" data-session-id={sessionId}>
      <title>{`${title} · ${t('app.name')}`}</title>
      <div className="page-heading live-heading">
        <h1>{title}</h1>
        <StatusBar state={state} />
      </div>
      {user?.role === 'classroom' && <OwnClassroom client={client} />}
      {state.status === 'reconnecting' && (
        <div className="alert alert-warning live-banner" role="status" data-testid="reconnecting-banner">
          {t('live.reconnecting')}
        </div>
      )}
      {state.error !== null && state.status !== 'ended' && (
        <LiveErrorView error={state.error} onDismiss={state.status === 'error' ? undefined : () => client.dismissError()} />
      )}
      {/* Offered only when it would help: a thin link does better with the live class itself (its ladder keeps
          the voice), but when this browser's media can't get through at all, the playlist over HTTPS still can. */}
      {user?.role !== 'teacher' && state.mediaUnreachable && (
        <p className="live-fallback" data-testid="live-hls-fallback">
          <Link to={`/sessions/${sessionId}/recording`}>{t('live.hlsFallback')}</Link>
        </p>
      )}
      {view}
    </section>
  );
}

/**
 * A page opened over plain HTTP at a school-network address is not a secure context: the browser gives it no
 * camera, no microphone and no WebRTC device. Say so, and link to the same page on the server's HTTPS port.
 */
function InsecureContextNotice() {
  const { t } = useTranslation();
  const site = useSiteInfo();
  const address = site.data ? secureAddress(site.data.httpsPort) : null;
  return (
    <section className="live-page">
      <div className="alert alert-error" role="alert" data-testid="insecure-context">
        <p className="alert-headline">{t('live.errors.insecure')}</p>
        {address ? (
          <p>
            {t('live.errors.insecureLink')} <a href={address} data-testid="secure-address">{address}</a>
          </p>
        ) : (
          site.isFetched && <p>{t('live.errors.insecureNoLink')}</p>
        )}
      </div>
    </section>
  );
}

/** `/live/:sessionId`: the live class, as its teacher, a booked classroom or an observing administrator. */
export function LivePage() {
  const id = parseId(useParams().sessionId);
  if (id === undefined) return <NotFoundPage />;
  if (!window.isSecureContext) return <InsecureContextNotice />;
  return <LiveRoom key={id} sessionId={id} />;
}
