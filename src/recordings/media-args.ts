import type { MediaSource } from '../contracts/live.js';

/** One RTP stream the recorder receives: what the SDP says about it and where ffmpeg listens for it. */
export interface RecordedStream {
  source: MediaSource;
  kind: 'audio' | 'video';
  payloadType: number;
  /** e.g. `video/VP8`, `audio/opus`. */
  mimeType: string;
  clockRate: number;
  channels?: number;
  parameters: Record<string, unknown>;
  rtpPort: number;
  rtcpPort: number;
}

export interface EncodeOptions {
  /** x264 preset: `veryfast` keeps a 720p class under half a core here. */
  preset: string;
  /** Seconds per HLS segment: a crash loses at most the one being written. */
  segmentSeconds: number;
  width: number;
  height: number;
  fps: number;
}

/** Where the recording's streams sit in an SDP (audio first, then camera, then screen). */
const ORDER: Record<MediaSource, number> = { mic: 0, camera: 1, screen: 2 };

export function sortStreams(streams: RecordedStream[]): RecordedStream[] {
  return [...streams].sort((a, b) => ORDER[a.source] - ORDER[b.source]);
}

/** The SDP ffmpeg reads its input from: one m-line per stream, on ports ffmpeg binds itself. */
export function sdpFor(streams: RecordedStream[]): string {
  const lines = ['v=0', 'o=- 0 0 IN IP4 127.0.0.1', 's=Tongke recording', 'c=IN IP4 127.0.0.1', 't=0 0'];
  for (const s of sortStreams(streams)) {
    const codec = s.mimeType.split('/')[1];
    lines.push(`m=${s.kind} ${s.rtpPort} RTP/AVP ${s.payloadType}`);
    lines.push(`a=rtcp:${s.rtcpPort}`);
    lines.push(`a=rtpmap:${s.payloadType} ${codec}/${s.clockRate}${s.channels ? `/${s.channels}` : ''}`);
    const fmtp = Object.entries(s.parameters)
      .filter(([k]) => !k.startsWith('x-google'))
      .map(([k, v]) => `${k}=${String(v)}`)
      .join(';');
    if (fmtp) lines.push(`a=fmtp:${s.payloadType} ${fmtp}`);
    lines.push('a=recvonly');
  }
  return lines.join('\r\n') + '\r\n';
}

/**
 * The filter graph of one part. Every part has exactly one 16:9 video and one stereo audio track, whatever the
 * teacher sends, so parts join into one continuous recording:
 * - screen share and camera: the screen fills the frame, the camera is a picture-in-picture corner;
 * - one of them: it fills the frame (letterboxed);
 * - voice only: a waveform of the voice;
 * - no microphone: silence.
 */
export function filterGraph(streams: RecordedStream[], o: EncodeOptions): string {
  const has = (s: MediaSource) => streams.some((x) => x.source === s);
  const videos = sortStreams(streams).filter((s) => s.kind === 'video');
  const vIndex = (s: MediaSource) => videos.findIndex((x) => x.source === s);
  const fit = `scale=${o.width}:${o.height}:force_original_aspect_ratio=decrease,pad=${o.width}:${o.height}:(ow-iw)/2:(oh-ih)/2,setsar=1`;
  const tail = `fps=${o.fps},format=yuv420p[v]`;
  const parts: string[] = [];
  if (has('mic')) parts.push(`[0:a:0]aresample=48000:async=1${videos.length ? '[a]' : ',asplit[a][wave]'}`);
  else parts.push('anullsrc=r=48000:cl=stereo[a]');
  if (has('screen') && has('camera')) {
    const pip = Math.round(o.width / 4);
    parts.push(`[0:v:${vIndex('screen')}]${fit}[bg]`);
    parts.push(`[0:v:${vIndex('camera')}]scale=${pip}:-2[pip]`);
    parts.push(`[bg][pip]overlay=W-w-24:H-h-24:eof_action=pass,${tail}`);
  } else if (videos.length) {
    parts.push(`[0:v:0]${fit},${tail}`);
  } else {
    parts.push(`[wave]showwaves=s=${o.width}x${o.height}:mode=cline:rate=${o.fps}:colors=0x4ade80,${tail}`);
  }
  return parts.join(';');
}

/**
 * The lighter renditions written beside the main one, for a classroom whose link can't carry 720p: each goes
 * into a folder of its own in the part (`part-NNN/low/`, `part-NNN/audio/`), with the same segment times.
 */
export const RENDITIONS = ['low', 'audio'] as const;
export type Rendition = (typeof RENDITIONS)[number];
/** What each rendition costs a viewer, for the master playlist (bits per second, with the container's share). */
export const RENDITION_INFO = {
  main: { bandwidth: 1_800_000, resolution: '1280x720', codecs: 'avc1.640028,mp4a.40.2' },
  low: { bandwidth: 520_000, resolution: '640x360', codecs: 'avc1.4d401e,mp4a.40.2' },
  audio: { bandwidth: 80_000, resolution: null, codecs: 'mp4a.40.2' },
} as const;

const LOW_FPS = 15;

const hlsOut = (dir: string, o: EncodeOptions) => [
  '-f', 'hls',
  '-hls_time', String(o.segmentSeconds),
  '-hls_list_size', '0',
  '-hls_playlist_type', 'event',
  // program_date_time: each segment's wall-clock start, which tells where a part overlaps the next (processor.ts).
  '-hls_flags', 'independent_segments+temp_file+program_date_time',
  '-hls_segment_filename', `${dir}/seg-%05d.ts`,
  `${dir}/index.m3u8`,
];

/**
 * ffmpeg's arguments for one part: RTP in (described by `sdpPath`), H.264 + AAC HLS out into `dir` (720p), and
 * the same picture at 640×360 and 400 kbit/s into `dir/low`, and the voice alone at 64 kbit/s into `dir/audio`.
 * One decode and one filter graph serve all three.
 */
export function recorderArgs(sdpPath: string, dir: string, streams: RecordedStream[], o: EncodeOptions): string[] {
  const gop = o.fps * 2;
  return [
    '-hide_banner',
    '-nostdin',
    '-loglevel', 'warning',
    '-protocol_whitelist', 'file,udp,rtp',
    '-fflags', '+genpts+discardcorrupt',
    '-analyzeduration', '2000000',
    '-probesize', '2000000',
    '-reorder_queue_size', '256',
    '-i', sdpPath,
    '-filter_complex', `${filterGraph(streams, o)};[v]split=2[vmain][vfull];[vfull]scale=640:360,fps=${LOW_FPS}[vlow];[a]asplit=3[amain][alow][avoice]`,
    '-progress', 'pipe:1',
    '-stats_period', '0.25',
    '-map', '[vmain]',
    '-map', '[amain]',
    '-c:v', 'libx264',
    // Two encoder threads: enough for 720p in real time, and a class's recorder can't crowd out the others.
    '-threads', '2',
    '-preset', o.preset,
    '-tune', 'zerolatency',
    '-profile:v', 'high',
    '-b:v', '1500k',
    '-maxrate', '2000k',
    '-bufsize', '3000k',
    '-g', String(gop),
    '-keyint_min', String(gop),
    '-sc_threshold', '0',
    '-c:a', 'aac',
    '-b:a', '96k',
    '-ac', '2',
    '-ar', '48000',
    '-max_muxing_queue_size', '1024',
    ...hlsOut(dir, o),
    '-map', '[vlow]',
    '-map', '[alow]',
    '-c:v', 'libx264',
    '-threads', '1',
    // The small picture at 15 fps with the fastest preset that still looks right at 400 kbit/s: it costs about a
    // quarter of the main encode (bench:recorder).
    '-preset', 'superfast',
    '-tune', 'zerolatency',
    '-profile:v', 'main',
    '-b:v', '400k',
    '-maxrate', '450k',
    '-bufsize', '800k',
    '-g', String(LOW_FPS * 2),
    '-keyint_min', String(LOW_FPS * 2),
    '-sc_threshold', '0',
    '-c:a', 'aac',
    '-b:a', '64k',
    '-ac', '2',
    '-ar', '48000',
    '-max_muxing_queue_size', '1024',
    ...hlsOut(`${dir}/low`, o),
    '-map', '[avoice]',
    '-c:a', 'aac',
    '-b:a', '64k',
    '-ac', '2',
    '-ar', '48000',
    '-max_muxing_queue_size', '1024',
    ...hlsOut(`${dir}/audio`, o),
  ];
}
