import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { copyFile, link, mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';

export const BLOB_ROOT = Symbol('BLOB_ROOT');

/**
 * Content-addressed files on local disk: `<root>/ab/cd/<sha256>`. Names come from the content hash only, so no
 * user-supplied filename ever reaches a path. Uploads land in `<root>/tmp` first and are moved into place
 * (an atomic rename on the same file system) only when complete.
 */
export class BlobStore {
  readonly root: string;
  private readonly tmp: string;

  constructor(root: string) {
    this.root = resolve(root);
    this.tmp = join(this.root, 'tmp');
  }

  /** Creates the folders and removes what a killed server left of unfinished uploads; returns how many. */
  async init(): Promise<number> {
    await mkdir(this.tmp, { recursive: true });
    return this.sweepTemps();
  }

  /**
   * Removes temp files no upload has written to for `staleMs` (15 minutes): leftovers of a server that was
   * killed mid-upload. A live upload writes continuously, and one that stalls that long has been given up by
   * its client, so a server sharing this folder never loses an upload in flight.
   */
  async sweepTemps(staleMs = 15 * 60_000, now = Date.now()): Promise<number> {
    let removed = 0;
    for (const name of await readdir(this.tmp)) {
      if (!name.endsWith('.part')) continue;
      const path = join(this.tmp, name);
      const info = await stat(path).catch(() => undefined);
      if (info && now - info.mtimeMs >= staleMs) {
        await rm(path, { force: true });
        removed++;
      }
    }
    return removed;
  }

  pathFor(sha256: string): string {
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error(`not a sha256: ${sha256}`);
    return join(this.root, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  }

  createTemp(): { path: string; stream: WriteStream } {
    const path = join(this.tmp, `${randomUUID()}.part`);
    return { path, stream: createWriteStream(path, { flags: 'wx', mode: 0o640 }) };
  }

  /** Moves a finished temp file into place; identical content already stored is kept and the temp dropped. */
  async commit(tempPath: string, sha256: string): Promise<{ created: boolean }> {
    const target = this.pathFor(sha256);
    if (await this.exists(sha256)) {
      await rm(tempPath, { force: true });
      return { created: false };
    }
    await mkdir(join(target, '..'), { recursive: true });
    await rename(tempPath, target);
    return { created: true };
  }

  /**
   * Puts a finished temp file in place unless the content is there already; the temp file stays either way
   * (discard it once the database has recorded the blob), so that a blob collected meanwhile can be put back.
   */
  async place(tempPath: string, sha256: string): Promise<{ created: boolean }> {
    if (await this.exists(sha256)) return { created: false };
    const target = this.pathFor(sha256);
    await mkdir(join(target, '..'), { recursive: true });
    try {
      // A hard link (same file system): atomic, and the temp file's name stays valid until it is discarded.
      await link(tempPath, target);
      return { created: true };
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') return { created: false };
      if (code !== 'EPERM' && code !== 'EXDEV' && code !== 'ENOTSUP') throw e;
      // A file system without hard links: a copy, moved into place atomically.
      const copy = `${target}.${randomUUID()}.part`;
      await copyFile(tempPath, copy);
      await rename(copy, target);
      return { created: true };
    }
  }

  /** Stores bytes already in memory (small generated files such as the demo's); returns their sha256. */
  async putBuffer(bytes: Buffer): Promise<string> {
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const { path, stream } = this.createTemp();
    await new Promise<void>((resolve, reject) => stream.end(bytes, () => resolve()).on('error', reject));
    await this.commit(path, sha256);
    return sha256;
  }

  async exists(sha256: string): Promise<boolean> {
    try {
      return (await stat(this.pathFor(sha256))).isFile();
    } catch {
      return false;
    }
  }

  async remove(sha256: string): Promise<void> {
    await rm(this.pathFor(sha256), { force: true });
  }

  async discard(tempPath: string): Promise<void> {
    await rm(tempPath, { force: true });
  }
}
