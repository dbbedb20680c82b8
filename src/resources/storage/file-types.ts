import { open } from 'node:fs/promises';
import { fileTypeFromFile } from 'file-type';
import type { ResourceKind } from '../../contracts/api.js';

export interface SniffedType {
  mimeType: string;
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
      return { mimeType: CFB_BY_EXTENSION[ext], label: CFB_BY_EXTENSION[ext] };
    }
    return { mimeType: detected.mime, label: `${detected.ext} (${detected.mime})` };
  }
  if (await looksLikeText(path)) {
    const mimeType = TEXT_BY_EXTENSION[ext] ?? 'text/plain';
    return { mimeType, label: mimeType };
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
export function cleanFilename(raw: string | undefined): string {
  const base = (raw ?? '').split(/[/\\]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex
  const cleaned = base.replace(/[\u0000-\u001f\u007f-\u009f]/g, '').replace(/^[.\s]+/, '').trim();
  const limited = Array.from(cleaned).slice(0, 255).join('');
  return limited || 'file';
}
