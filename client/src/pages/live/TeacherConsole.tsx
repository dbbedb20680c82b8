import { useTranslation } from 'react-i18next';
import type { LiveClient } from '../../live/LiveClient';
import type { LiveState } from '../../live/LiveStore';
import { ChatPanel } from './ChatPanel';
import { LiveVideo } from './LiveMedia';
import { ClassroomTiles, EndClassButton, FloorPanel, HandQueuePanel, RemoteAudios } from './LiveParts';
import { otherAudio, trackOf } from './selectors';

interface Props {
  client: LiveClient;
  state: LiveState;
}

function Toggle({ on, testId, onLabel, offLabel, onClick }: { on: boolean; testId: string; onLabel: string; offLabel: string; onClick: () => void }) {
  return (
    <button
      type="button"
      className={on ? 'button-secondary' : undefined}
      data-testid={testId}
      data-on={on}
      aria-pressed={on}
      onClick={onClick}
    >
      {on ? offLabel : onLabel}
    </button>
  );
}

/** The teacher's side: her own camera, the switches, the classrooms, raised hands and the floor, the chat. */
export function TeacherConsole({ client, state }: Props) {
  const { t } = useTranslation();
  const live = state.status === 'live';
  // The floor classroom is heard through its video; anything else (rare) plays on its own.
  const floor = state.hands.floor;
  const floorMic = trackOf(state, { classroomId: floor }, 'mic');
  return (
    <div className="live-layout">
      <div className="live-main">
        <section className="card">
          <h2>{t('live.myCamera')}</h2>
          <div className={state.screenVideo ? 'live-stage with-screen' : 'live-stage'}>
            <LiveVideo
              video={state.localVideo}
              muted
              testId="local-preview"
              className="local-preview"
              label={t('live.myCamera')}
              placeholder={t('live.noCamera')}
            />
            {state.screenVideo && (
              <LiveVideo video={state.screenVideo} muted className="screen-preview" label={t('live.screenPreview')} />
            )}
          </div>
          <div className="live-controls">
            <Toggle
              on={state.cameraOn}
              testId="toggle-camera"
              onLabel={t('live.cameraOn')}
              offLabel={t('live.cameraOff')}
              onClick={() => void client.toggle('camera')}
            />
            <Toggle
              on={state.micOn}
              testId="toggle-mic"
              onLabel={t('live.micOn')}
              offLabel={t('live.micOff')}
              onClick={() => void client.toggle('mic')}
            />
            <Toggle
              on={state.screenVideo !== null}
              testId="toggle-screen"
              onLabel={t('live.screenOn')}
              offLabel={t('live.screenOff')}
              onClick={() => void client.toggleScreen()}
            />
            <span className="live-controls-end">
              <EndClassButton client={client} />
            </span>
          </div>
        </section>
        <FloorPanel client={client} state={state} canRevoke />
        <HandQueuePanel client={client} state={state} canGrant={live} />
        <ClassroomTiles state={state} />
        <RemoteAudios tracks={otherAudio(state, [floorMic])} />
      </div>
      <ChatPanel client={client} chat={state.chat} disabled={!live} />
    </div>
  );
}
