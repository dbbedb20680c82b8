/** A finished segment of one part's HLS playlist. */
export interface Segment {
  /** Relative to the recording's folder: `part-001/seg-00003.ts`. */
  uri: string;
  duration: number;
  /** When it starts, by the wall clock (ms since the epoch; from #EXT-X-PROGRAM-DATE-TIME, parts recorded before it have none). */
  startsAt?: number;
}

export interface PartPlaylist {
  part: string;
  segments: Segment[];
  /** ffmpeg wrote #EXT-X-ENDLIST: the part ended cleanly. */
  ended: boolean;
}

/** Reads the segments ffmpeg listed in one part's `index.m3u8` (only whole segments are listed). */
export function parsePartPlaylist(part: string, text: string): PartPlaylist {
  const segments: Segment[] = [];
  let duration: number | null = null;
  let startsAt: number | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('#EXTINF:')) duration = Number.parseFloat(line.slice(8));
    else if (line.startsWith('#EXT-X-PROGRAM-DATE-TIME:')) {
      // ffmpeg writes the offset as +0000; Date.parse wants +00:00.
      const t = Date.parse(line.slice(25).replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
      startsAt = Number.isFinite(t) ? t : undefined;
    } else if (line && !line.startsWith('#') && duration !== null && /^[\w.-]+$/.test(line)) {
      segments.push({ uri: `${part}/${line}`, duration, ...(startsAt === undefined ? {} : { startsAt }) });
      duration = null;
      startsAt = undefined;
    }
  }
  return { part, segments, ended: text.includes('#EXT-X-ENDLIST') };
}

/**
 * One playlist over every part: a discontinuity between parts (each part is its own ffmpeg run, with its own
 * timestamps). While the class is live it is an EVENT playlist (segments are only ever appended, so a viewer
 * can rewind to the start); once the class is over it is VOD with an end.
 */
export function joinPlaylists(parts: PartPlaylist[], live: boolean): string {
  const withSegments = parts.filter((p) => p.segments.length > 0);
  const all = withSegments.flatMap((p) => p.segments);
  const target = Math.max(1, ...all.map((s) => Math.ceil(s.duration)));
  const out = ['#EXTM3U', '#EXT-X-VERSION:3', `#EXT-X-TARGETDURATION:${target}`, '#EXT-X-MEDIA-SEQUENCE:0', '#EXT-X-DISCONTINUITY-SEQUENCE:0'];
  out.push(`#EXT-X-PLAYLIST-TYPE:${live ? 'EVENT' : 'VOD'}`, '#EXT-X-INDEPENDENT-SEGMENTS');
  withSegments.forEach((p, i) => {
    if (i > 0) out.push('#EXT-X-DISCONTINUITY');
    for (const s of p.segments) out.push(`#EXTINF:${s.duration.toFixed(6)},`, s.uri);
  });
  if (!live) out.push('#EXT-X-ENDLIST');
  return out.join('\n') + '\n';
}

export const totalDuration = (parts: PartPlaylist[]) => parts.reduce((t, p) => t + p.segments.reduce((u, s) => u + s.duration, 0), 0);

/** A master playlist over renditions of the same recording: the player switches between them by bandwidth. */
export function masterPlaylist(variants: { uri: string; bandwidth: number; resolution: string | null; codecs: string }[]): string {
  const out = ['#EXTM3U', '#EXT-X-VERSION:3', '#EXT-X-INDEPENDENT-SEGMENTS'];
  for (const v of variants) {
    out.push(`#EXT-X-STREAM-INF:BANDWIDTH=${v.bandwidth},CODECS="${v.codecs}"${v.resolution ? `,RESOLUTION=${v.resolution}` : ''}`, v.uri);
  }
  return out.join('\n') + '\n';
}

/**
 * Where each part must end so that the joined recording doesn't play twice what two parts both recorded. A change
 * of the teacher's media starts a new part before the old one stops (make before break: the old one records on until
 * the new one writes), so the end of each part repeats the start of the next, by a few seconds of voice. For each
 * part: how many of its segments start before the next part does (`keep`), and, when the last of them runs on past
 * that start, how many seconds of it to keep (`cutTo`; null for none). Parts or segments without wall-clock times
 * are kept whole.
 */
export function overlapTrims(parts: { segments: Segment[] }[]): { keep: number; cutTo: number | null }[] {
  return parts.map((part, i) => {
    const whole = { keep: part.segments.length, cutTo: null };
    const next = parts.slice(i + 1).find((p) => p.segments.length > 0);
    const nextStart = next?.segments[0].startsAt;
    if (nextStart === undefined || part.segments.some((s) => s.startsAt === undefined)) return whole;
    const keep = part.segments.filter((s) => s.startsAt! < nextStart).length;
    if (keep === 0) return { keep, cutTo: null };
    const last = part.segments[keep - 1];
    const cutTo = Math.round(nextStart - last.startsAt!) / 1000;
    if (cutTo >= last.duration - 0.05) return { keep, cutTo: null };
    // Less than a tenth of a second of it before the next part: not worth a segment of its own.
    if (cutTo < 0.1) return { keep: keep - 1, cutTo: null };
    return { keep, cutTo };
  });
}
