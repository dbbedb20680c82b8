import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MediaSource } from '../../src/contracts/live.js';

/**
 * Writes the HLS parts a recorder would have written (H.264 + AAC segments and part.json), made by Debian's
 * ffmpeg from a test pattern and a tone, so the real processing can be run on them without a live class.
 */
export function writeRecordedParts(dir: string, parts: { seconds: number; sources: MediaSource[] }[], { renditions = false } = {}): void {
  parts.forEach((p, i) => {
    const index = i + 1;
    const partDir = join(dir, `part-${String(index).padStart(3, '0')}`);
    mkdirSync(partDir, { recursive: true });
    execFileSync('ffmpeg', [
      '-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', `testsrc=size=640x360:rate=25:duration=${p.seconds}`,
      '-f', 'lavfi', '-i', `sine=frequency=${440 + 110 * i}:sample_rate=48000:duration=${p.seconds}`,
      '-c:v', 'libx264', '-preset', 'ultrafast', '-g', '50', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-b:a', '64k',
      '-f', 'hls', '-hls_time', '2', '-hls_list_size', '0', '-hls_playlist_type', 'event',
      '-hls_segment_filename', join(partDir, 'seg-%05d.ts'), join(partDir, 'index.m3u8'),
    ]);
    if (renditions) {
      // The lighter renditions the recorder writes beside the main one: a smaller picture, and the voice alone.
      for (const [name, output] of [
        ['low', ['-vf', 'scale=320:180', '-c:v', 'libx264', '-preset', 'ultrafast', '-g', '50', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-b:a', '32k']],
        ['audio', ['-vn', '-c:a', 'aac', '-b:a', '32k']],
      ] as const) {
        const out = join(partDir, name);
        mkdirSync(out, { recursive: true });
        execFileSync('ffmpeg', [
          '-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', `testsrc=size=640x360:rate=25:duration=${p.seconds}`,
          '-f', 'lavfi', '-i', `sine=frequency=${440 + 110 * i}:sample_rate=48000:duration=${p.seconds}`,
          ...output,
          '-f', 'hls', '-hls_time', '2', '-hls_list_size', '0', '-hls_playlist_type', 'event',
          '-hls_segment_filename', join(out, 'seg-%05d.ts'), join(out, 'index.m3u8'),
        ]);
      }
    }
    writeFileSync(join(partDir, 'part.json'), JSON.stringify({ index, startedAt: new Date().toISOString(), sources: p.sources }));
  });
}
