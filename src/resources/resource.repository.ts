import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, Repository } from 'typeorm';
import type { ResourceKind, Visibility } from '../contracts/api.js';
import type { AuthUser } from '../auth/auth-user.js';
import { BlobEntity } from './blob.entity.js';
import { ResourceEntity, ResourceVersionEntity } from './resource.entity.js';

export interface NewVersion {
  sha256: string;
  size: number;
  mimeType: string;
  filename: string;
  uploadedBy: number;
  /** Puts the file in the store if it is not there; run once the blob's row is locked (see lockBlob). */
  place?: () => Promise<unknown>;
}

export type ResourceWithVersions = ResourceEntity & { versions: ResourceVersionEntity[] };

@Injectable()
export class ResourceRepository {
  private readonly resources: Repository<ResourceEntity>;

  constructor(private readonly dataSource: DataSource) {
    this.resources = dataSource.getRepository(ResourceEntity);
  }

  /**
   * The resources of a course that `viewer` may see. Visibility is applied in SQL: admins and course editors
   * see everything; otherwise public ones, school ones when the viewer is in the owner's school, and private
   * ones only to their owner.
   */
  async listVisible(courseId: number, viewer: AuthUser | undefined, canEditCourse: boolean, lessonId?: number): Promise<ResourceWithVersions[]> {
    const qb = this.resources
      .createQueryBuilder('r')
      .innerJoinAndSelect('r.owner', 'owner')
      .innerJoinAndSelect('r.versions', 'v')
      .innerJoinAndSelect('v.blob', 'blob')
      .where('r.course_id = :courseId', { courseId })
      .orderBy('r.lesson_id', 'ASC', 'NULLS FIRST')
      .addOrderBy('r.id', 'ASC')
      .addOrderBy('v.version', 'DESC');
    if (lessonId) qb.andWhere('r.lesson_id = :lessonId', { lessonId });
    if (!canEditCourse) {
      qb.andWhere(
        `(r.visibility = 'public'
          OR (r.visibility = 'school' AND owner.school_id IS NOT NULL AND owner.school_id = :schoolId)
          OR r.owner_id = :viewerId)`,
        { schoolId: viewer?.schoolId ?? -1, viewerId: viewer?.id ?? -1 },
      );
    }
    return (await qb.getMany()) as ResourceWithVersions[];
  }

  async findWithVersions(id: number): Promise<ResourceWithVersions | null> {
    const found = await this.resources
      .createQueryBuilder('r')
      .innerJoinAndSelect('r.owner', 'owner')
      .innerJoinAndSelect('r.versions', 'v')
      .innerJoinAndSelect('v.blob', 'blob')
      .where('r.id = :id', { id })
      .orderBy('v.version', 'DESC')
      .getOne();
    return (found as ResourceWithVersions | null) ?? null;
  }

  /** Creates the resource with its first version, in one transaction. */
  async createWithVersion(
    resource: { courseId: number; lessonId: number | null; ownerId: number; title: string; kind: ResourceKind; visibility: Visibility },
    version: NewVersion,
  ): Promise<number> {
    return this.dataSource.transaction(async (m) => {
      const saved = await m.getRepository(ResourceEntity).save(m.getRepository(ResourceEntity).create(resource));
      await this.insertVersion(m, saved.id, 1, version);
      return saved.id;
    });
  }

  /** Appends the next version number under a row lock on the resource, so concurrent uploads queue up. */
  async appendVersion(resourceId: number, kind: ResourceKind, version: NewVersion): Promise<number> {
    return this.dataSource.transaction(async (m) => {
      await m.query('SELECT id FROM resource WHERE id = $1 FOR UPDATE', [resourceId]);
      const [{ next }] = (await m.query('SELECT coalesce(max(version), 0) + 1 AS next FROM resource_version WHERE resource_id = $1', [
        resourceId,
      ])) as { next: number }[];
      await this.insertVersion(m, resourceId, next, version);
      await m.getRepository(ResourceEntity).update({ id: resourceId }, { kind });
      return next;
    });
  }

  async update(id: number, changes: Partial<ResourceEntity>): Promise<void> {
    await this.resources.update({ id }, changes);
  }

  async delete(id: number): Promise<void> {
    await this.resources.delete({ id });
  }

  /**
   * Records a blob, or refreshes it, holding its row locked until the transaction ends: the blob collector
   * skips locked rows, and one that collects this blob first makes this wait, then insert it anew. Then the file
   * is put in place if it is missing, so a version never refers to a collected file.
   */
  async lockBlob(m: EntityManager, blob: { sha256: string; size: number; mimeType: string; place?: () => Promise<unknown> }): Promise<void> {
    await m.query(
      `INSERT INTO blob (sha256, size, mime_type) VALUES ($1, $2, $3)
       ON CONFLICT (sha256) DO UPDATE SET created_at = now()`,
      [blob.sha256, blob.size, blob.mimeType],
    );
    await blob.place?.();
  }

  /** Sets a course's cover image, with its blob locked and in place, in one transaction. */
  async setCover(courseId: number, blob: { sha256: string; size: number; mimeType: string; place?: () => Promise<unknown> }): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      await this.lockBlob(m, blob);
      await m.query('UPDATE course SET cover_sha256 = $2, updated_at = now() WHERE id = $1', [courseId, blob.sha256]);
    });
  }

  blobExists(sha256: string): Promise<boolean> {
    return this.dataSource.getRepository(BlobEntity).existsBy({ sha256 });
  }

  findBlob(sha256: string): Promise<BlobEntity | null> {
    return this.dataSource.getRepository(BlobEntity).findOneBy({ sha256 });
  }

  private async insertVersion(m: EntityManager, resourceId: number, number: number, v: NewVersion): Promise<void> {
    await this.lockBlob(m, v);
    await m.getRepository(ResourceVersionEntity).insert({
      resourceId,
      version: number,
      blobSha256: v.sha256,
      filename: v.filename,
      uploadedBy: v.uploadedBy,
    });
  }
}
