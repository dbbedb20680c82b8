import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { LiveClient } from '../../live/LiveClient';
import { isTeacherCamera, type LayerChoice, type LiveState, type RemoteTrack } from '../../live/LiveStore';
import { LiveAudio, LiveVideo } from './LiveMedia';
import { classroomName, classroomsOf, trackOf } from './selectors';

interface Props {
  client: LiveClient;
  state: LiveState;
}

function useClassroomLabel(state: LiveState) {
  const { t } = useTranslation();
  return (classroomId: number) => classroomName(state.peers, classroomId) ?? t('live.classroomName', { id: classroomId });
}

/** The teacher's camera (with her voice) large, and her shared screen when there is one. */
export function TeacherStage({ state }: { state: LiveState }) {
  const { t } = useTranslation();
  const camera = trackOf(state, { role: 'teacher' }, 'camera');
  const mic = trackOf(state, { role: 'teacher' }, 'mic');
  const screen = trackOf(state, { role: 'teacher' }, 'screen');
  // This link can't carry her camera now (the server said so): her voice goes on, without a frozen picture.
  const reception = state.classroomId === null ? undefined : state.receptions[state.classroomId];
  const cameraCut = reception === 'audio' || reception === 'slides';
  return (
    <div className={screen ? 'live-stage with-screen' : 'live-stage'}>
      <LiveVideo
        video={camera?.paused || cameraCut ? undefined : camera?.track}
        audio={mic?.track}
        testId="teacher-video"
        className="teacher-video"
        label={t('live.teacherVideo')}
        placeholder={camera?.paused ? t('live.teacherCameraPaused') : cameraCut ? t('live.cameraCutForLink') : t('live.waitingTeacher')}
      />
      {screen && (
        <LiveVideo video={screen.track} muted testId="screen-video" className="screen-video" label={t('live.screenShare')} />
      )}
    </div>
  );
}

/** The classroom that holds the floor: its video and voice, and (for the teacher) the button that ends its turn. */
export function FloorPanel({ client, state, canRevoke }: Props & { canRevoke: boolean }) {
  const { t } = useTranslation();
  const label = useClassroomLabel(state);
  const floor = state.hands.floor;
  const camera = trackOf(state, { classroomId: floor }, 'camera');
  const mic = trackOf(state, { classroomId: floor }, 'mic');
  return (
    <section className="card floor-panel" data-testid="floor-panel">
      <h2>{t('live.floor')}</h2>
      {floor === null ? (
        <p className="muted">{t('live.noFloor')}</p>
      ) : (
        <>
          <p className="floor-name" data-testid="floor-holder" data-classroom-id={floor}>
            {t('live.floorBy', { name: label(floor) })}
          </p>
          <LiveVideo
            video={camera?.track}
            audio={mic?.track}
            testId="talkback-video"
            className="talkback-video"
            label={t('live.floorBy', { name: label(floor) })}
            placeholder={t('live.waitingVideo')}
          />
          {canRevoke && (
            <button
              type="button"
              className="button-danger"
              data-testid="revoke-floor"
              data-classroom-id={floor}
              onClick={() => void client.revokeFloor(floor)}
            >
              {t('live.revokeFloor')}
            </button>
          )}
        </>
      )}
    </section>
  );
}

/** Raised hands, first raised first; the teacher gives one of them the floor. */
export function HandQueuePanel({ client, state, canGrant }: Props & { canGrant: boolean }) {
  const { t } = useTranslation();
  const label = useClassroomLabel(state);
  const queue = state.hands.classroomIds;
  return (
    <section className="card">
      <h2>{t('live.handQueue')}</h2>
      {queue.length === 0 ? (
        <p className="muted">{t('live.noHands')}</p>
      ) : (
        <ol className="hand-queue">
          {queue.map((classroomId) => (
            <li key={classroomId} data-testid="hand-queue-item" data-classroom-id={classroomId}>
              <span className="hand-queue-name">{label(classroomId)}</span>
              {canGrant && (
                <button
                  type="button"
                  data-testid="grant-floor"
                  data-classroom-id={classroomId}
                  disabled={state.hands.floor === classroomId}
                  onClick={() => void client.grantFloor(classroomId)}
                >
                  {t('live.grantFloor')}
                </button>
              )}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

/** Every classroom in the class, with its hand and floor. */
export function ClassroomTiles({ state }: { state: LiveState }) {
  const { t } = useTranslation();
  const classrooms = classroomsOf(state.peers);
  return (
    <section className="card">
      <h2>
        {t('live.classrooms')} <span className="muted small">{classrooms.length}</span>
      </h2>
      {classrooms.length === 0 ? (
        <p className="muted">{t('live.noClassrooms')}</p>
      ) : (
        <ul className="classroom-tiles">
          {classrooms.map((room) => {
            const speaking = state.hands.floor === room.classroomId;
            const raised = state.hands.classroomIds.includes(room.classroomId);
            return (
              <li
                key={room.classroomId}
                className={speaking ? 'classroom-tile speaking' : 'classroom-tile'}
                data-testid="classroom-tile"
                data-classroom-id={room.classroomId}
              >
                <strong>{room.name}</strong>
                {state.receptions[room.classroomId] && (
                  <span className="tag" data-testid="classroom-level" data-classroom-id={room.classroomId} data-reception={state.receptions[room.classroomId]}>
                    {t(`live.receiving.${state.receptions[room.classroomId]}`)}
                  </span>
                )}
                {raised && <span className="tag tag-warning">{t('live.handRaised')}</span>}
                {speaking && <span className="tag tag-session-live">{t('live.speaking')}</span>}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}

export function EndClassButton({ client }: { client: LiveClient }) {
  const { t } = useTranslation();
  const [ending, setEnding] = useState(false);
  const end = async () => {
    setEnding(true);
    const ended = await client.endClass();
    if (!ended) setEnding(false);
  };
  return (
    <button type="button" className="button-danger" data-testid="end-class" disabled={ending} onClick={() => void end()}>
      {ending ? t('live.ending') : t('live.endClass')}
    </button>
  );
}

/** Microphones not heard through a shown video. */
export function RemoteAudios({ tracks }: { tracks: RemoteTrack[] }) {
  return (
    <div hidden>
      {tracks.map((remote) => (
        <LiveAudio key={remote.consumerId} track={remote.track} />
      ))}
    </div>
  );
}

const LAYERS: LayerChoice[] = ['auto', 'medium', 'low'];

/** How well the teacher's video arrives here, and the layer this classroom asks for. */
export function QualityIndicator({ client, state }: Props) {
  const { t } = useTranslation();
  // What the link carries now, as the server decides it: on a weak link a smaller layer of the teacher's camera,
  // then her slides without the camera, then her voice alone. Until the server has said, the layer it sends.
  const layer = state.remotes.find(isTeacherCamera)?.spatialLayer ?? null;
  const own = state.classroomId === null ? undefined : state.receptions[state.classroomId];
  const receiving = own ?? (layer === null ? null : layer === 0 ? 'low' : layer === 1 ? 'medium' : 'high');
  return (
    <div className="quality">
      <span className={`quality-indicator quality-${state.quality}`} data-testid="quality-indicator" data-quality={state.quality}>
        <span className="quality-dot" aria-hidden="true" />
        {t('live.quality.label')}: {t(`live.quality.${state.quality}`)}
      </span>
      {receiving !== null && (
        <span className="tag" data-testid="receiving-layer" data-reception={receiving}>
          {t('live.receiving.label')}: {t(`live.receiving.${receiving}`)}
        </span>
      )}
      <label className="inline-field">
        <span>{t('live.layer.label')}</span>
        <select
          value={state.layer}
          data-testid="video-layer"
          onChange={(event) => void client.setLayer(event.target.value as LayerChoice)}
        >
          {LAYERS.map((layer) => (
            <option key={layer} value={layer}>
              {t(`live.layer.${layer}`)}
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}
