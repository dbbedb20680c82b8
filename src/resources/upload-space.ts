import { HttpException, HttpStatus, Injectable } from '@nestjs/common';
import { statfs } from 'node:fs/promises';
import { DataSource } from 'typeorm';
import type { AuthUser } from '../auth/auth-user.js';
import { AppConfig } from '../config/app.config.js';
import { BlobStore } from './storage/blob-store.js';

const MB = 1024 * 1024;

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

  async assertRoom(actor: AuthUser, bytes: number): Promise<void> {
    const floor = this.config.UPLOAD_MIN_FREE_MB * MB;
    if (floor > 0) {
      const s = await statfs(this.store.root);
      const free = s.bavail * s.bsize;
      if (free - bytes < floor) {
        throw new HttpException(
          {
            statusCode: 507,
            error: 'Insufficient Storage',
            code: 'DISK_FULL',
            message: `The server is nearly out of disk space (${Math.floor(free / MB)} MB free, ${this.config.UPLOAD_MIN_FREE_MB} MB kept free): uploads are paused until an administrator frees space`,
          },
          HttpStatus.INSUFFICIENT_STORAGE,
        );
      }
    }
    const quota = this.config.UPLOAD_QUOTA_MB * MB;
    if (quota > 0 && actor.role !== 'admin') {
      const [{ used }] = (await this.dataSource.query(
        `SELECT coalesce(sum(b.size), 0)::bigint AS used FROM blob b
         WHERE b.sha256 IN (SELECT blob_sha256 FROM resource_version WHERE uploaded_by = $1)`,
        [actor.id],
      )) as { used: string }[];
      if (Number(used) + bytes > quota) {
        throw new HttpException(
          {
            statusCode: 413,
            error: 'Payload Too Large',
            code: 'QUOTA_EXCEEDED',
            message: `This upload would take your files to ${Math.ceil((Number(used) + bytes) / MB)} MB, over your ${this.config.UPLOAD_QUOTA_MB} MB: delete resources you no longer need, or ask an administrator`,
          },
          HttpStatus.PAYLOAD_TOO_LARGE,
        );
      }
    }
  }
}
