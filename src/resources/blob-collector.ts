import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { BlobStore } from './storage/blob-store.js';

/**
 * Removes stored files that nothing refers to any more (no resource version, no course cover), once they have
 * been unreferenced for a while. Safe against an upload of the same bytes in flight: uploads record the blob
 * with its row locked and put the file in place while holding the lock (ResourceRepository.lockBlob), and this
 * takes rows FOR UPDATE SKIP LOCKED and removes their files before its transaction ends; whichever comes second
 * waits for, or skips, the other.
 */
@Injectable()
export class BlobCollector {
  constructor(
    private readonly dataSource: DataSource,
    private readonly store: BlobStore,
  ) {}

  /** Collects blobs unreferenced and untouched for `minAgeMs`; returns how many. */
  async collect(minAgeMs = 3_600_000, batch = 500): Promise<number> {
    return this.dataSource.transaction(async (m) => {
      const rows = (await m.query(
        `SELECT b.sha256 FROM blob b
         WHERE b.created_at < now() - make_interval(secs => $1::double precision / 1000)
           AND NOT EXISTS (SELECT 1 FROM resource_version v WHERE v.blob_sha256 = b.sha256)
           AND NOT EXISTS (SELECT 1 FROM course c WHERE c.cover_sha256 = b.sha256)
         ORDER BY b.created_at LIMIT $2 FOR UPDATE OF b SKIP LOCKED`,
        [minAgeMs, batch],
      )) as { sha256: string }[];
      if (rows.length === 0) return 0;
      const shas = rows.map((r) => r.sha256.trim());
      await m.query('DELETE FROM blob WHERE sha256 = ANY($1::char(64)[])', [shas]);
      for (const sha of shas) await this.store.remove(sha);
      return shas.length;
    });
  }
}
