import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';

type MaybeTrack = MediaStreamTrack | null | undefined;

function isTrack(track: MaybeTrack): track is MediaStreamTrack {
  return Boolean(track);
}

/**
 * Keeps `element` playing exactly `tracks`, in one MediaStream that lives as long as the element: a track that
 * comes or goes (the microphone after the camera, a rebuilt consumer) is added or removed in place, so the
 * picture keeps playing instead of reloading. Returns whether play() must still be called.
 */
function syncTracks(element: HTMLMediaElement, holder: { current: MediaStream | null }, tracks: MediaStreamTrack[]): boolean {
  if (tracks.length === 0) {
    element.srcObject = null;
    holder.current = null;
    return false;
  }
  const stream = holder.current ?? new MediaStream();
  holder.current = stream;
  for (const track of stream.getTracks()) if (!tracks.includes(track)) stream.removeTrack(track);
  for (const track of tracks) if (!stream.getTracks().includes(track)) stream.addTrack(track);
  if (element.srcObject !== stream) element.srcObject = stream;
  return element.paused;
}

interface VideoProps {
  video?: MaybeTrack;
  /** Played with the picture (lip sync), unless `muted`. */
  audio?: MaybeTrack;
  /** Own camera previews are muted; other people's video plays its sound. */
  muted?: boolean;
  testId?: string;
  className?: string;
  label: string;
  /** Shown over the empty frame while there is nothing to play. */
  placeholder?: string;
}

/**
 * A <video> playing someone's camera and microphone. Browsers refuse to autoplay sound before the user has touched
 * the page: the video then plays muted, with a button that turns the sound on.
 */
export function LiveVideo({ video, audio, muted = false, testId, className, label, placeholder }: VideoProps) {
  const { t } = useTranslation();
  const ref = useRef<HTMLVideoElement>(null);
  const stream = useRef<MediaStream | null>(null);
  const [blocked, setBlocked] = useState(false);

  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    // React sets the `muted` property only; the attribute says it too.
    element.defaultMuted = muted;
    if (!syncTracks(element, stream, [video, audio].filter(isTrack))) return;
    let current = true;
    element.play().catch((error: unknown) => {
      if (!current || element.muted || !(error instanceof DOMException) || error.name !== 'NotAllowedError') return;
      element.muted = true;
      setBlocked(true);
      void element.play().catch(() => undefined);
    });
    return () => {
      current = false;
    };
  }, [video, audio, muted]);

  const unmute = () => {
    const element = ref.current;
    if (!element) return;
    element.muted = false;
    setBlocked(false);
    void element.play().catch(() => undefined);
  };

  return (
    <div className={className ? `video-frame ${className}` : 'video-frame'}>
      <video ref={ref} data-testid={testId} autoPlay playsInline muted={muted || blocked} aria-label={label} />
      {!video && placeholder && <p className="video-placeholder">{placeholder}</p>}
      {blocked && (
        <button type="button" className="video-unmute" data-testid="unmute" onClick={unmute}>
          {t('live.unmute')}
        </button>
      )}
    </div>
  );
}

/** Sound without a picture (a microphone whose camera isn't shown); retried on the first touch if blocked. */
export function LiveAudio({ track }: { track: MediaStreamTrack }) {
  const ref = useRef<HTMLAudioElement>(null);
  const stream = useRef<MediaStream | null>(null);
  useEffect(() => {
    const audio = ref.current;
    if (!audio || !syncTracks(audio, stream, [track])) return;
    const retry = () => void audio.play().catch(() => undefined);
    audio.play().catch(() => document.addEventListener('pointerdown', retry, { once: true }));
    return () => document.removeEventListener('pointerdown', retry);
  }, [track]);
  return <audio ref={ref} autoPlay />;
}
