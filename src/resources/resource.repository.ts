import { Injectable } from '@nestjs/common';
import type { ResourceKind, Visibility } from '../contracts/api.js';
import type { AuthUser } from '../auth/auth-user.js';
import { Transactions } from '../database/transactions.js';
import { updateSet } from '../database/updates.js';

export interface NewVersion {
  sha256: string;
  size: number;
  mimeType: string;
  filename: string;
  uploadedBy: number;
  /** Puts the file in the store if it is not there; run once the blob's row is locked (see lockBlob). */
  place?: () => Promise<unknown>;
}

/** One stored file, named by its content hash; shared by every version with the same bytes. */
export interface BlobRow {
  sha256: string;
  size: number;
  mimeType: string;
  createdAt: Date;
}

/** A version with its blob's size and type. Versions are immutable. */
export interface ResourceVersionRow {
  id: number;
  resourceId: number;
  version: number;
  blobSha256: string;
  filename: string;
  size: number;
  mimeType: string;
  uploadedBy: number;
  createdAt: Date;
}

/** A resource with its owner's name and school, and its versions newest first (there is always one). */
export interface ResourceRow {
  id: number;
  courseId: number;
  lessonId: number | null;
  ownerId: number;
  ownerName: string;
  ownerSchoolId: number | null;
  title: string;
  kind: ResourceKind;
  visibility: Visibility;
  createdAt: Date;
  updatedAt: Date;
  versions: ResourceVersionRow[];
}

export interface NewResource {
  courseId: number;
  lessonId: number | null;
  ownerId: number;
  title: string;
  kind: ResourceKind;
  visibility: Visibility;
}

export type ResourceChanges = Partial<Pick<NewResource, 'title' | 'visibility' | 'lessonId'>>;

const SELECT_RESOURCES = `
  SELECT r.id, r.course_id AS "courseId", r.lesson_id AS "lessonId", r.owner_id AS "ownerId", o.display_name AS "ownerName",
         o.school_id AS "ownerSchoolId", r.title, r.kind, r.visibility, r.created_at AS "createdAt", r.updated_at AS "updatedAt"
  FROM resource r
  JOIN app_user o ON o.id = r.owner_id`;

// size is a bigint, which pg hands over as a string; files stay far below 2^53 bytes.
const SELECT_VERSIONS = `
  SELECT v.id, v.resource_id AS "resourceId", v.version, v.blob_sha256 AS "blobSha256", v.filename, b.size::float8 AS size,
         b.mime_type AS "mimeType", v.uploaded_by AS "uploadedBy", v.created_at AS "createdAt"
  FROM resource_version v
  JOIN blob b ON b.sha256 = v.blob_sha256`;

@Injectable()
export class ResourceRepository {
  constructor(private readonly tx: Transactions) {}

  /**
   * The resources of a course that `viewer` may see. Visibility is applied in SQL: admins and course editors
   * see everything; otherwise public ones, school ones when the viewer is in the owner's school, and private
   * ones only to their owner.
   */
  async listVisible(courseId: number, viewer: AuthUser | undefined, canEditCourse: boolean, lessonId?: number): Promise<ResourceRow[]> {
    const params: unknown[] = [courseId];
    const p = (v: unknown) => `$${params.push(v)}`;
    const where = ['r.course_id = $1'];
    if (lessonId) where.push(`r.lesson_id = ${p(lessonId)}`);
    if (!canEditCourse) {
      where.push(`(r.visibility = 'public'
        OR (r.visibility = 'school' AND o.school_id IS NOT NULL AND o.school_id = ${p(viewer?.schoolId ?? -1)})
        OR r.owner_id = ${p(viewer?.id ?? -1)})`);
    }
    const rows = (await this.tx.db.query(`${SELECT_RESOURCES} WHERE ${where.join(' AND ')} ORDER BY r.lesson_id NULLS FIRST, r.id`, params)) as Omit<
      ResourceRow,
      'versions'
    >[];
    return this.withVersions(rows);
  }

  async findWithVersions(id: number): Promise<ResourceRow | null> {
    const rows = (await this.tx.db.query(`${SELECT_RESOURCES} WHERE r.id = $1`, [id])) as Omit<ResourceRow, 'versions'>[];
    return (await this.withVersions(rows))[0] ?? null;
  }

  /** Creates the resource with its first version, in one transaction. */
  async createWithVersion(resource: NewResource, version: NewVersion): Promise<number> {
    return this.tx.run(async () => {
      const [{ id }] = (await this.tx.db.query(
        `INSERT INTO resource (course_id, lesson_id, owner_id, title, kind, visibility) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
        [resource.courseId, resource.lessonId, resource.ownerId, resource.title, resource.kind, resource.visibility],
      )) as { id: number }[];
      await this.insertVersion(id, 1, version);
      return id;
    });
  }

  /** Appends the next version number under a row lock on the resource, so concurrent uploads queue up. */
  async appendVersion(resourceId: number, kind: ResourceKind, version: NewVersion): Promise<number> {
    return this.tx.run(async () => {
      await this.tx.db.query('SELECT id FROM resource WHERE id = $1 FOR UPDATE', [resourceId]);
      const [{ next }] = (await this.tx.db.query('SELECT coalesce(max(version), 0) + 1 AS next FROM resource_version WHERE resource_id = $1', [
        resourceId,
      ])) as { next: number }[];
      await this.insertVersion(resourceId, next, version);
      await this.tx.db.query('UPDATE resource SET kind = $2, updated_at = now() WHERE id = $1', [resourceId, kind]);
      return next;
    });
  }

  /** Sets the fields given; undefined ones stay as they are. */
  async update(id: number, changes: ResourceChanges): Promise<void> {
    const { set, params } = updateSet(id, {
      title: changes.title,
      visibility: changes.visibility,
      lesson_id: changes.lessonId,
    });
    await this.tx.db.query(`UPDATE resource SET ${set} WHERE id = $1`, params);
  }

  async delete(id: number): Promise<void> {
    await this.tx.db.query('DELETE FROM resource WHERE id = $1', [id]);
  }

  /**
   * Records a blob, or refreshes it, holding its row locked until the transaction ends: the blob collector
   * skips locked rows, and one that collects this blob first makes this wait, then insert it anew. Then the file
   * is put in place if it is missing, so a version never refers to a collected file. Call it inside
   * Transactions.run, or the lock ends with the statement.
   */
  async lockBlob(blob: { sha256: string; size: number; mimeType: string; place?: () => Promise<unknown> }): Promise<void> {
    await this.tx.db.query(
      `INSERT INTO blob (sha256, size, mime_type) VALUES ($1, $2, $3)
       ON CONFLICT (sha256) DO UPDATE SET created_at = now()`,
      [blob.sha256, blob.size, blob.mimeType],
    );
    await blob.place?.();
  }

  /** Sets a course's cover image, with its blob locked and in place, in one transaction. */
  async setCover(courseId: number, blob: { sha256: string; size: number; mimeType: string; place?: () => Promise<unknown> }): Promise<void> {
    await this.tx.run(async () => {
      await this.lockBlob(blob);
      await this.tx.db.query('UPDATE course SET cover_sha256 = $2, updated_at = now() WHERE id = $1', [courseId, blob.sha256]);
    });
  }

  async blobExists(sha256: string): Promise<boolean> {
    const rows = (await this.tx.db.query('SELECT 1 FROM blob WHERE sha256 = $1', [sha256])) as unknown[];
    return rows.length > 0;
  }

  async findBlob(sha256: string): Promise<BlobRow | null> {
    const rows = (await this.tx.db.query('SELECT sha256, size::float8 AS size, mime_type AS "mimeType", created_at AS "createdAt" FROM blob WHERE sha256 = $1', [
      sha256,
    ])) as BlobRow[];
    return rows[0] ?? null;
  }

  private async insertVersion(resourceId: number, number: number, v: NewVersion): Promise<void> {
    await this.lockBlob(v);
    await this.tx.db.query('INSERT INTO resource_version (resource_id, version, blob_sha256, filename, uploaded_by) VALUES ($1, $2, $3, $4, $5)', [
      resourceId,
      number,
      v.sha256,
      v.filename,
      v.uploadedBy,
    ]);
  }

  /** Attaches each resource's versions, newest first; one without versions is left out, as an inner join would. */
  private async withVersions(resources: Omit<ResourceRow, 'versions'>[]): Promise<ResourceRow[]> {
    if (resources.length === 0) return [];
    const versions = (await this.tx.db.query(`${SELECT_VERSIONS} WHERE v.resource_id = ANY($1::int[]) ORDER BY v.version DESC`, [
      resources.map((r) => r.id),
    ])) as ResourceVersionRow[];
    const byResource = new Map<number, ResourceVersionRow[]>();
    for (const v of versions) byResource.set(v.resourceId, [...(byResource.get(v.resourceId) ?? []), v]);
    return resources.filter((r) => byResource.has(r.id)).map((r) => ({ ...r, versions: byResource.get(r.id)! }));
  }
}
