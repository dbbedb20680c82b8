import { BadRequestException, HttpException, HttpStatus, PayloadTooLargeException } from '@nestjs/common';
import busboy from 'busboy';
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { BlobStore } from './blob-store.js';
import { cleanFilename, sniffFile, withExtension } from './file-types.js';

export interface ReceivedFile {
  tempPath: string;
  filename: string;
  size: number;
  sha256: string;
  mimeType: string;
  /** Human-readable description of the detected content, for 415 messages. */
  detected: string;
}

export interface ReceivedUpload {
  fields: Record<string, string>;
  file: ReceivedFile;
}

const MAX_FIELDS = 20;
const MAX_FIELD_BYTES = 10_000;

/** Counts and hashes bytes as they pass through on their way to disk. */
class HashingCounter extends Transform {
  readonly hash = createHash('sha256');
  bytes = 0;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.hash.update(chunk);
    this.bytes += chunk.length;
    done(null, chunk);
  }
}

export function humanBytes(n: number): string {
  if (n >= 1024 ** 3) return `${+(n / 1024 ** 3).toFixed(1)} GB`;
  if (n >= 1024 ** 2) return `${+(n / 1024 ** 2).toFixed(1)} MB`;
  if (n >= 1024) return `${+(n / 1024).toFixed(1)} KB`;
  return `${n} bytes`;
}

/**
 * Streams one multipart/form-data upload to a temp file: the bytes are hashed (sha256) and counted on the
 * way, never held whole in memory. Text fields may come before or after the file; exactly one file field
 * named `file` is accepted. Whatever goes wrong (too large, client gone, disk error), the temp file is removed
 * before the error is raised, so no partial file is left behind.
 */
export async function receiveUpload(req: IncomingMessage, store: BlobStore, maxBytes: number): Promise<ReceivedUpload> {
  const type = req.headers['content-type'] ?? '';
  if (!type.toLowerCase().startsWith('multipart/form-data')) {
    throw new HttpException(
      { statusCode: 415, error: 'Unsupported Media Type', message: 'Send the file as multipart/form-data with a field named "file"' },
      HttpStatus.UNSUPPORTED_MEDIA_TYPE,
    );
  }
  const declared = Number(req.headers['content-length']);
  // Multipart framing adds a little to the file itself; anything well above the limit is refused unread.
  if (Number.isFinite(declared) && declared > maxBytes + 64 * 1024) throw tooLarge(maxBytes);

  let parser: busboy.Busboy;
  try {
    parser = busboy({
      headers: req.headers,
      defParamCharset: 'utf8', // Chinese filenames arrive as UTF-8 in browsers' Content-Disposition
      limits: { files: 1, fileSize: maxBytes, fields: MAX_FIELDS, fieldSize: MAX_FIELD_BYTES, parts: MAX_FIELDS + 1 },
    });
  } catch (e) {
    throw new BadRequestException(`Malformed multipart request: ${(e as Error).message}`);
  }

  const fields: Record<string, string> = {};
  let file: Omit<ReceivedFile, 'mimeType' | 'detected'> | undefined;
  let tempPath: string | undefined;
  let failure: HttpException | undefined;
  let fileDone: Promise<void> = Promise.resolve();
  let closeTemp = () => {};

  const finished = new Promise<void>((resolveAll, rejectAll) => {
    parser.on('field', (name, value, info) => {
      if (info.valueTruncated) failure ??= new BadRequestException(`Field "${name}" is too long`);
      else fields[name] = value;
    });
    parser.on('file', (name, stream, info) => {
      if (name !== 'file' || tempPath) {
        failure ??= new BadRequestException(name !== 'file' ? `Unexpected file field "${name}"; use "file"` : 'Send one file at a time');
        stream.resume();
        return;
      }
      const temp = store.createTemp();
      tempPath = temp.path;
      closeTemp = () => temp.stream.destroy();
      const counter = new HashingCounter();
      // Not pipeline(): destroying busboy's file stream would stall the parser, so on trouble the file
      // stream is unpiped and drained instead, and busboy reads the request to its end.
      const drain = () => {
        stream.unpipe(counter);
        stream.resume();
      };
      stream.on('limit', () => {
        failure ??= tooLarge(maxBytes);
        drain();
        counter.end();
      });
      fileDone = pipeline(counter, temp.stream).then(() => {
        file = { tempPath: temp.path, filename: cleanFilename(info.filename), size: counter.bytes, sha256: counter.hash.digest('hex') };
      });
      fileDone.catch(drain);
      stream.pipe(counter);
    });
    parser.on('filesLimit', () => (failure ??= new BadRequestException('Send one file at a time')));
    parser.on('fieldsLimit', () => (failure ??= new BadRequestException('Too many form fields')));
    parser.on('partsLimit', () => (failure ??= new BadRequestException('Too many form parts')));
    parser.on('error', (e: Error) => rejectAll(new BadRequestException(`Malformed multipart request: ${e.message}`)));
    parser.on('close', () => resolveAll());
    req.on('aborted', () => rejectAll(new BadRequestException('The upload was interrupted')));
    req.on('error', (e) => rejectAll(new BadRequestException(`The upload was interrupted: ${e.message}`)));
  });

  req.pipe(parser);
  try {
    await finished;
    await fileDone.catch((e: unknown) => {
      failure ??= e instanceof HttpException ? e : new BadRequestException('The upload could not be written');
    });
    if (failure) throw failure;
    if (!file) throw new BadRequestException('No file received: send it in a form field named "file"');
    if (file.size === 0) throw new BadRequestException('The file is empty');
    const sniffed = await sniffFile(file.tempPath, file.filename);
    return { fields, file: { ...file, filename: withExtension(file.filename, sniffed), mimeType: sniffed.mimeType, detected: sniffed.label } };
  } catch (e) {
    closeTemp();
    req.unpipe(parser);
    req.resume();
    if (tempPath) await store.discard(tempPath);
    throw e;
  }
}

function tooLarge(maxBytes: number): PayloadTooLargeException {
  return new PayloadTooLargeException(`The file is larger than the ${humanBytes(maxBytes)} upload limit`);
}
