/** Test fixtures: the demo generators plus content a teacher should never be able to upload. */
export { pdf, png } from '../../src/seed/demo-files.js';

/** The start of a Linux executable: what a "slides.pdf" that is really a program looks like. */
export function elf(): Buffer {
  const b = Buffer.alloc(256);
  b.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0], 0);
  b.writeUInt16LE(2, 16);
  b.writeUInt16LE(0x3e, 18);
  return b;
}

/** Deterministic pseudo-random bytes (a stand-in for video content) of the given length. */
export function noise(length: number, seed = 1): Buffer {
  const b = Buffer.alloc(length);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    b[i] = x & 0xff;
  }
  // An MP4 'ftyp' box at the start (as ffmpeg writes it) so the content sniffs as video/mp4.
  Buffer.from('000000206674797069736f6d0000020069736f6d69736f3261766331' + '6d703431', 'hex').copy(b, 0);
  return b;
}
