import { useTranslation } from 'react-i18next';
import type { LiveClient } from '../../live/LiveClient';
import type { LiveState } from '../../live/LiveStore';
import { ChatPanel } from './ChatPanel';
import { LiveVideo } from './LiveMedia';
import { ClassroomTiles, EndClassButton, FloorPanel, HandQueuePanel, QualityIndicator, RemoteAudios, TeacherStage } from './LiveParts';
import { classroomName, otherAudio, trackOf } from './selectors';

interface Props {
  client: LiveClient;
  state: LiveState;
}

/** Raise or lower the hand; while this classroom holds the floor, say so and show what it sends. */
function HandControls({ client, state }: Props) {
  const { t } = useTranslation();
  const me = state.classroomId;
  const holds = me !== null && state.hands.floor === me;
  const raised = me !== null && state.hands.classroomIds.includes(me);
  const live = state.status === 'live';
  return (
    <>
      {holds && (
        <p className="floor-granted" data-testid="floor-granted" role="status">
          {t('live.floorGranted')}
        </p>
      )}
      {raised ? (
        <>
          {!holds && <span className="muted">{t('live.handUp')}</span>}
          <button type="button" className="button-secondary" data-testid="lower-hand" disabled={!live} onClick={() => void client.lowerHand()}>
            {t('live.lowerHand')}
          </button>
        </>
      ) : (
        !holds && (
          <button type="button" className="button-large" data-testid="raise-hand" disabled={!live} onClick={() => void client.raiseHand()}>
            {t('live.raiseHand')}
          </button>
        )
      )}
    </>
  );
}

/**
 * A classroom screen: the teacher full width (and her screen), hands and the floor, the connection quality, and
 * another classroom when it speaks.
 */
export function ClassroomView({ client, state }: Props) {
  const { t } = useTranslation();
  const me = state.classroomId;
  const floor = state.hands.floor;
  const holds = me !== null && floor === me;
  // Another classroom speaking: everyone sees and hears it.
  const otherFloor = floor !== null && !holds ? floor : null;
  const otherCamera = trackOf(state, { classroomId: otherFloor }, 'camera');
  const otherMic = trackOf(state, { classroomId: otherFloor }, 'mic');
  const otherName = otherFloor === null ? '' : (classroomName(state.peers, otherFloor) ?? t('live.classroomName', { id: otherFloor }));
  return (
    <div className="live-layout">
      <div className="live-main">
        <TeacherStage state={state} />
        <div className="live-controls">
          <HandControls client={client} state={state} />
          <span className="live-controls-end">
            <QualityIndicator client={client} state={state} />
          </span>
        </div>
        {holds && state.localVideo && (
          <LiveVideo
            video={state.localVideo}
            muted
            testId="talkback-preview"
            className="talkback-preview"
            label={t('live.talkbackPreview')}
          />
        )}
        {otherFloor !== null && (
          <section className="card">
            <h2>{t('live.floorBy', { name: otherName })}</h2>
            <LiveVideo
              video={otherCamera?.track}
              audio={otherMic?.track}
              testId="floor-video"
              className="talkback-video"
              label={t('live.floorBy', { name: otherName })}
              placeholder={t('live.waitingVideo')}
            />
          </section>
        )}
        <RemoteAudios
          tracks={otherAudio(state, [trackOf(state, { role: 'teacher' }, 'mic'), otherMic])}
        />
      </div>
      <ChatPanel client={client} chat={state.chat} disabled={state.status !== 'live'} />
    </div>
  );
}

/** An administrator looking in: what a classroom sees, plus who is there, and the power to end the class. */
export function ObserverView({ client, state }: Props) {
  const floorMic = trackOf(state, { classroomId: state.hands.floor }, 'mic');
  return (
    <div className="live-layout">
      <div className="live-main">
        <TeacherStage state={state} />
        <div className="live-controls">
          <QualityIndicator client={client} state={state} />
          <span className="live-controls-end">
            <EndClassButton client={client} />
          </span>
        </div>
        <FloorPanel client={client} state={state} canRevoke={false} />
        <HandQueuePanel client={client} state={state} canGrant={false} />
        <ClassroomTiles state={state} />
        <RemoteAudios tracks={otherAudio(state, [trackOf(state, { role: 'teacher' }, 'mic'), floorMic])} />
      </div>
      <ChatPanel client={client} chat={state.chat} disabled={state.status !== 'live'} />
    </div>
  );
}
