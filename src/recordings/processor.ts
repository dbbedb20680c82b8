import { spawn } from 'node:child_process';
import { readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RecordingChapterDto } from '../contracts/api.js';
import { overlapTrims, parsePartPlaylist, totalDuration, type PartPlaylist, type Segment } from './hls.js';
import { RENDITIONS, type Rendition } from './media-args.js';
import type { PartMeta } from './recorder.js';

export const MP4_FILE = 'recording.mp4';
export const POSTER_FILE = 'poster.jpg';

export interface FinalizeResult {
  durationSeconds: number;
  sizeBytes: number;
  chapters: RecordingChapterDto[];
}

export interface Tools {
  ffmpegPath: string;
  ffprobePath: string;
}

interface PartOnDisk extends PartPlaylist {
  meta: PartMeta | null;
}

/**
 * Every part folder of a recording with its finished segments, oldest first. With `rescue` (after the class,
 * when no ffmpeg writes any more) each listed segment is checked: one that is missing or empty is left out, and
 * one still under its temporary name (ffmpeg stopped between closing it and renaming it) is renamed and kept.
 */
export async function readParts(dir: string, rescue = false, rendition?: Rendition): Promise<PartOnDisk[]> {
  let names: string[];
  try {
    // By number: part-1000 comes after part-999 (as text it would come before part-101).
    names = (await readdir(dir)).filter((n) => /^part-\d{3,}$/.test(n)).sort((a, b) => Number(a.slice(5)) - Number(b.slice(5)));
  } catch {
    return [];
  }
  const parts: PartOnDisk[] = [];
  for (const name of names) {
    // A lighter rendition sits in a folder of its own in the part (recordings made before them have none).
    const folder = rendition ? `${name}/${rendition}` : name;
    const text = await readFile(join(dir, folder, 'index.m3u8'), 'utf8').catch(() => '');
    const meta = await readFile(join(dir, name, 'part.json'), 'utf8')
      .then((t) => JSON.parse(t) as PartMeta)
      .catch(() => null);
    const part = { ...parsePartPlaylist(folder, text), meta };
    if (!rescue) {
      parts.push(part); // while live: ffmpeg lists a segment only once it is whole and renamed
      continue;
    }
    const present = [];
    for (const seg of part.segments) {
      const file = join(dir, seg.uri);
      if (await exists(file)) present.push(seg);
      else if (await exists(`${file}.tmp`)) {
        await rename(`${file}.tmp`, file);
        present.push(seg);
      }
    }
    parts.push({ ...part, segments: present });
  }
  return parts;
}

const exists = (file: string) => stat(file).then((s) => s.size > 0, () => false);

/** Chapter marks: where a part that shows the screen follows one that didn't, in the joined timeline. */
export function chaptersOf(parts: PartOnDisk[]): RecordingChapterDto[] {
  const chapters: RecordingChapterDto[] = [];
  let offset = 0;
  let screenBefore = false;
  for (const p of parts) {
    if (p.segments.length === 0) continue;
    const screen = p.meta?.sources.includes('screen') ?? false;
    if (screen && !screenBefore) chapters.push({ atSeconds: Math.round(offset * 10) / 10, kind: 'screen' });
    screenBefore = screen;
    offset += p.segments.reduce((t, s) => t + s.duration, 0);
  }
  return chapters;
}

/**
 * Turns the HLS parts of a finished class into one MP4 (stream copy: the parts are already H.264 + AAC, so
 * this takes seconds, not a re-encode) and a poster. `onProgress` gets 0–100.
 */
export async function finalizeRecording(dir: string, tools: Tools, onProgress: (pct: number) => void): Promise<FinalizeResult> {
  await trimPartOverlaps(dir, tools);
  const parts = await readParts(dir, true);
  const segments = parts.flatMap((p) => p.segments);
  if (segments.length === 0) throw new Error('Nothing was recorded: the teacher sent no sound or picture while the class was live');
  const expected = totalDuration(parts);
  const list = join(dir, 'concat.txt');
  const tmp = join(dir, `${MP4_FILE}.tmp`);
  let usable = segments;
  for (;;) {
    await writeFile(list, usable.map((s) => `file '${s.uri}'`).join('\n') + '\n');
    try {
      await run(
        tools.ffmpegPath,
        ['-hide_banner', '-nostdin', '-loglevel', 'error', '-y', '-f', 'concat', '-safe', '0', '-i', list, '-map', '0:v:0', '-map', '0:a:0', '-c', 'copy',
          '-bsf:a', 'aac_adtstoasc', '-movflags', '+faststart', '-progress', 'pipe:1', '-nostats', '-f', 'mp4', tmp],
        (line) => {
          const m = /^out_time_us=(\d+)/.exec(line);
          if (m && expected > 0) onProgress(Math.min(90, Math.round((Number(m[1]) / 1e6 / expected) * 90)));
        },
      );
      break;
    } catch (e) {
      // A segment ffmpeg can't read (cut short when a recorder was stopped as it began one) is left out; the rest
      // of the class is still worth having. Anything else fails the processing with its reason.
      const bad = /Impossible to open '([^']+)'/.exec((e as Error).message)?.[1];
      const rest = bad ? usable.filter((s) => join(dir, s.uri) !== bad) : usable;
      if (!bad || rest.length === usable.length || rest.length === 0) throw e;
      usable = rest;
    }
  }
  await rename(tmp, join(dir, MP4_FILE));
  await rm(list, { force: true });
  const durationSeconds = await probeDuration(tools.ffprobePath, join(dir, MP4_FILE));
  onProgress(92);
  await run(tools.ffmpegPath, ['-hide_banner', '-nostdin', '-loglevel', 'error', '-y', '-ss', String(Math.min(10, durationSeconds / 3)), '-i', join(dir, MP4_FILE),
    '-frames:v', '1', '-vf', 'scale=640:-2', '-q:v', '4', join(dir, POSTER_FILE)]);
  onProgress(100);
  return { durationSeconds, sizeBytes: await folderSize(dir), chapters: chaptersOf(parts) };
}

/**
 * Cuts each part where the next one begins (hls.ts, overlapTrims), in every rendition, and rewrites the parts'
 * playlists: the replay's playlists and the MP4 then play each moment of the class once. Run when the class is
 * over; running it again changes nothing.
 */
export async function trimPartOverlaps(dir: string, tools: Tools): Promise<void> {
  for (const rendition of [undefined, ...RENDITIONS]) {
    const parts = await readParts(dir, true, rendition);
    const trims = overlapTrims(parts);
    for (const [i, part] of parts.entries()) {
      const { keep, cutTo } = trims[i];
      if (keep === part.segments.length && cutTo === null) continue;
      const kept = part.segments.slice(0, keep);
      const gone = part.segments.slice(keep);
      if (cutTo !== null) {
        const last = kept[keep - 1];
        const cut = last.uri.replace(/\.ts$/, '-cut.ts');
        await run(tools.ffmpegPath, ['-hide_banner', '-nostdin', '-loglevel', 'error', '-y', '-i', join(dir, last.uri), '-t', String(cutTo), '-map', '0', '-c', 'copy', '-f', 'mpegts', join(dir, cut)]);
        kept[keep - 1] = { ...last, uri: cut, duration: cutTo };
        gone.push(last);
      }
      await writePartPlaylist(join(dir, part.part, 'index.m3u8'), kept);
      for (const s of gone) await rm(join(dir, s.uri), { force: true });
    }
  }
}

/** A finished part's playlist, as ffmpeg writes one, with these segments. */
async function writePartPlaylist(file: string, segments: Segment[]): Promise<void> {
  const lines = ['#EXTM3U', '#EXT-X-VERSION:6', `#EXT-X-TARGETDURATION:${Math.max(1, ...segments.map((s) => Math.ceil(s.duration)))}`, '#EXT-X-MEDIA-SEQUENCE:0', '#EXT-X-PLAYLIST-TYPE:EVENT', '#EXT-X-INDEPENDENT-SEGMENTS'];
  for (const s of segments) {
    lines.push(`#EXTINF:${s.duration.toFixed(6)},`);
    if (s.startsAt !== undefined) lines.push(`#EXT-X-PROGRAM-DATE-TIME:${new Date(s.startsAt).toISOString()}`);
    lines.push(s.uri.slice(s.uri.lastIndexOf('/') + 1));
  }
  lines.push('#EXT-X-ENDLIST', '');
  await writeFile(`${file}.tmp`, lines.join('\n'));
  await rename(`${file}.tmp`, file);
}

export async function probeDuration(ffprobePath: string, file: string): Promise<number> {
  let out = '';
  await run(ffprobePath, ['-v', 'error', '-show_entries', 'format=duration', '-of', 'default=nw=1:nk=1', file], (line) => (out += line));
  const d = Number.parseFloat(out);
  if (!Number.isFinite(d)) throw new Error(`ffprobe could not read the duration of ${file}`);
  return Math.round(d * 100) / 100;
}

export async function folderSize(dir: string): Promise<number> {
  let total = 0;
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  for (const e of entries) {
    const p = join(dir, e.name);
    total += e.isDirectory() ? await folderSize(p) : await stat(p).then((s) => s.size, () => 0);
  }
  return total;
}

/** Runs a tool to the end; rejects with the last lines it printed on stderr. */
function run(cmd: string, args: string[], onStdoutLine?: (line: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const err: string[] = [];
    let buf = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      buf += chunk;
      const lines = buf.split('\n');
      buf = lines.pop() ?? '';
      for (const l of lines) onStdoutLine?.(l.trim());
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      err.push(chunk);
      if (err.length > 20) err.shift();
    });
    child.once('error', (e) => reject(new Error(`${cmd} could not run: ${e.message}`)));
    child.once('close', (code) => {
      if (buf) onStdoutLine?.(buf.trim());
      if (code === 0) resolve();
      else reject(new Error(`${cmd.split('/').pop()} failed (exit ${code}): ${err.join('').trim().split('\n').slice(-3).join(' | ') || 'no message'}`));
    });
  });
}
