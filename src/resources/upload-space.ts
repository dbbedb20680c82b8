import { Injectable } from '@nestjs/common';
import { statfs } from 'node:fs/promises';
import { DataSource } from 'typeorm';
import type { AuthUser } from '../auth/auth-user.js';
import { AppConfig } from '../config/app.config.js';
import { BlobStore } from './storage/blob-store.js';
import { diskRefusal, quotaRefusal } from './upload-limits.js';

/**
 * Room for an upload: the server keeps UPLOAD_MIN_FREE_MB of its disk free (recordings and the database need it
 * too), and each account other than an admin stores at most UPLOAD_QUOTA_MB of files (the distinct files of
 * the versions it uploaded). Checked before the body is read, from its declared length, and again once its
 * real size is known.
 */
@Injectable()
export class UploadSpace {
  constructor(
    private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    private readonly store: BlobStore,
  ) {}

  /** `onDisk`: the upload has been read into a temporary file already, so the free space counts it as used. */
  async assertRoom(actor: AuthUser, bytes: number, { onDisk = false } = {}): Promise<void> {
    if (this.config.UPLOAD_MIN_FREE_MB > 0) {
      const s = await statfs(this.store.root);
      const refusal = diskRefusal(s.bavail * s.bsize, onDisk ? 0 : bytes, this.config.UPLOAD_MIN_FREE_MB);
      if (refusal) throw refusal;
    }
    if (this.config.UPLOAD_QUOTA_MB > 0 && actor.role !== 'admin') {
      const [{ used }] = (await this.dataSource.query(
        `SELECT coalesce(sum(b.size), 0)::bigint AS used FROM blob b
         WHERE b.sha256 IN (SELECT blob_sha256 FROM resource_version WHERE uploaded_by = $1)`,
        [actor.id],
      )) as { used: string }[];
      const refusal = quotaRefusal(Number(used), bytes, this.config.UPLOAD_QUOTA_MB);
      if (refusal) throw refusal;
    }
  }
}
