import type { Response } from 'express';

/**
 * Sends a file from disk with Express's sendFile (Range, If-Range, HEAD) and the given headers; a range past
 * the end is a 416 and a missing file a 404, each with an error body like every other error.
 */
export function sendFileWithRange(res: Response, path: string, headers: Record<string, string>, opts: { etag?: boolean } = {}): void {
  res.sendFile(path, { headers: { 'X-Content-Type-Options': 'nosniff', ...headers }, etag: opts.etag ?? false, lastModified: opts.etag ?? false, acceptRanges: true, dotfiles: 'allow' }, (err?: Error & { status?: number; code?: string }) => {
    if (!err || res.headersSent || err.code === 'ECONNABORTED') return;
    const status = err.status === 416 ? 416 : err.status === 404 || err.code === 'ENOENT' ? 404 : 500;
    const message = status === 416 ? 'The requested range is outside the file' : status === 404 ? 'The stored file is missing' : 'The file could not be read';
    res.status(status).json({ statusCode: status, error: status === 416 ? 'Range Not Satisfiable' : status === 404 ? 'Not Found' : 'Internal Server Error', message });
  });
}
