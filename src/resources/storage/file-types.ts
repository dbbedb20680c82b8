import { open } from 'node:fs/promises';
import { fileTypeFromFile, supportedExtensions } from 'file-type';
import type { ResourceKind } from '../../contracts/api.js';

export interface SniffedType {
  mimeType: string;
  /** The extension that content goes by ("jpg", "docx"), when it is known. */
  ext?: string;
  /** What the detected content is, for a 415 message: "an executable (application/x-elf)". */
  label: string;
}

/** Types a teacher may upload, by the MIME type sniffed from the content. */
const KIND_BY_MIME: Record<string, ResourceKind> = {
  'application/pdf': 'document',
  'application/msword': 'document',
  'application/rtf': 'document',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'document',
  'application/vnd.oasis.opendocument.text': 'document',
  'application/epub+zip': 'document',
  'application/vnd.ms-powerpoint': 'slides',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': 'slides',
  'application/vnd.oasis.opendocument.presentation': 'slides',
  'application/vnd.ms-excel': 'spreadsheet',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'spreadsheet',
  'application/vnd.oasis.opendocument.spreadsheet': 'spreadsheet',
  'image/png': 'image',
  'image/jpeg': 'image',
  'image/gif': 'image',
  'image/webp': 'image',
  'image/bmp': 'image',
  'image/avif': 'image',
  'audio/mpeg': 'audio',
  'audio/wav': 'audio',
  'audio/x-wav': 'audio',
  'audio/ogg': 'audio',
  'audio/opus': 'audio',
  'audio/aac': 'audio',
  'audio/x-m4a': 'audio',
  'audio/mp4': 'audio',
  'audio/flac': 'audio',
  'audio/x-flac': 'audio',
  'video/mp4': 'video',
  'video/webm': 'video',
  'video/quicktime': 'video',
  'video/x-matroska': 'video',
  'video/mpeg': 'video',
  'video/x-msvideo': 'video',
  'video/x-flv': 'video',
  'text/plain': 'text',
  'text/csv': 'text',
  'text/markdown': 'text',
  'application/zip': 'archive',
};

export const IMAGE_MIME_TYPES = Object.keys(KIND_BY_MIME).filter((m) => KIND_BY_MIME[m] === 'image');

/** Old binary Office files are all "Compound File Binary"; the extension tells which application made it. */
const CFB_BY_EXTENSION: Record<string, string> = {
  doc: 'application/msword',
  ppt: 'application/vnd.ms-powerpoint',
  pps: 'application/vnd.ms-powerpoint',
  xls: 'application/vnd.ms-excel',
};

const TEXT_BY_EXTENSION: Record<string, string> = { csv: 'text/csv', md: 'text/markdown', markdown: 'text/markdown' };

export function kindOf(mimeType: string): ResourceKind | undefined {
  return KIND_BY_MIME[mimeType];
}

const BINARY_EXTENSIONS: ReadonlySet<string> = new Set([...supportedExtensions, ...Object.keys(CFB_BY_EXTENSION)]);

/** Other names people give the same format. */
const SAME_FORMAT: Record<string, string[]> = { jpg: ['jpeg', 'jpe', 'jfif'], tif: ['tiff'], mp4: ['m4v'], mpg: ['mpeg'], html: ['htm'], mkv: ['mka'] };

/**
 * The stored name gets the extension of what the file is, so that a download opens in the right program and
 * never as something else: "photo.png" holding a JPEG becomes "photo.jpg"; "worksheet" becomes "worksheet.pdf";
 * a name whose extension is not a known format keeps it and gets the right one after it.
 */
export function withExtension(filename: string, sniffed: SniffedType): string {
  const want = sniffed.ext;
  const have = extensionOf(filename);
  if (!want || have === want || SAME_FORMAT[want]?.includes(have)) return filename;
  const base = have && BINARY_EXTENSIONS.has(have) ? filename.slice(0, -(have.length + 1)) : filename;
  return `${Array.from(base).slice(0, 250).join('')}.${want}`;
}

export function extensionOf(filename: string): string {
  const dot = filename.lastIndexOf('.');
  return dot > 0 ? filename.slice(dot + 1).toLowerCase() : '';
}

/**
 * The MIME type from the bytes, never from what the client claims: magic numbers via `file-type`, then a
 * UTF-8 text check for plain text (which has no magic number). Unknown binary is application/octet-stream.
 */
export async function sniffFile(path: string, filename: string): Promise<SniffedType> {
  const detected = await fileTypeFromFile(path);
  const ext = extensionOf(filename);
  if (detected) {
    if (detected.mime === 'application/x-cfb' && CFB_BY_EXTENSION[ext]) {
      return { mimeType: CFB_BY_EXTENSION[ext], label: CFB_BY_EXTENSION[ext], ext };
    }
    return { mimeType: detected.mime, label: `${detected.ext} (${detected.mime})`, ext: detected.ext };
  }
  if (await looksLikeText(path)) {
    const mimeType = TEXT_BY_EXTENSION[ext] ?? 'text/plain';
    // Text under the name of a binary format ("notes.pdf") is named as text; other names are kept.
    return { mimeType, label: mimeType, ext: TEXT_BY_EXTENSION[ext] || !BINARY_EXTENSIONS.has(ext) ? ext || undefined : 'txt' };
  }
  return { mimeType: 'application/octet-stream', label: 'unrecognised binary data (application/octet-stream)' };
}

async function looksLikeText(path: string): Promise<boolean> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(64 * 1024);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    if (bytesRead === 0) return false;
    let sample = buffer.subarray(0, bytesRead);
    if (sample.includes(0)) return false;
    // A multi-byte character may be cut at the end of the sample; drop up to 3 trailing bytes of it.
    for (let cut = 0; cut <= 3 && sample.length > 0; cut++) {
      try {
        new TextDecoder('utf-8', { fatal: true }).decode(sample);
        return true;
      } catch {
        sample = sample.subarray(0, sample.length - 1);
      }
    }
    return false;
  } finally {
    await handle.close();
  }
}

/**
 * A filename safe to store and show: the last path segment only, no control characters, no leading dots,
 * at most 255 characters. Storage never uses it as a path; this keeps downloads and listings clean.
 */
/**
 * Control characters, and the invisible ones that reorder or hide text: bidirectional overrides, embeddings and
 * isolates (which make "gpj.exe" show as "exe.jpg"), directional marks, zero-width characters, the BOM and the
 * line and paragraph separators.
 */
// eslint-disable-next-line no-control-regex
const HIDDEN_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;

export function cleanFilename(raw: string | undefined): string {
  const base = (raw ?? '').split(/[/\\]/).pop() ?? '';
  const cleaned = base.replace(HIDDEN_CHARACTERS, '').replace(/^[.\s]+/, '').trim();
  const limited = Array.from(cleaned).slice(0, 255).join('');
  return limited || 'file';
}
