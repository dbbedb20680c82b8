import { BadRequestException, HttpException, HttpStatus, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import type { IncomingMessage } from 'node:http';
import type { CourseDetailDto, ResourceDetailDto, ResourceDto, UploadLimitsDto } from '../contracts/api.js';
import type { AuthUser } from '../auth/auth-user.js';
import { CatalogueService } from '../catalogue/catalogue.service.js';
import { toCoverUrl } from '../catalogue/catalogue.dto.js';
import { assertCanEdit, assertCanView, canEditCourse } from '../catalogue/course.policy.js';
import { ResourceRepository, type NewVersion, type ResourceRow } from './resource.repository.js';
import { CreateResourceFields, toResourceDetailDto, toResourceDto, UpdateResourceBody } from './resources.dto.js';
import { BlobStore } from './storage/blob-store.js';
import { UploadSpace } from './upload-space.js';
import { IMAGE_MIME_TYPES, kindOf } from './storage/file-types.js';
import { receiveUpload, type ReceivedFile } from './storage/upload-receiver.js';

export const UPLOAD_MAX_BYTES = Symbol('UPLOAD_MAX_BYTES');

/** What a download answers with; the controller hands it to Express, which serves Range requests from disk. */
export interface StoredFile {
  path: string;
  filename: string;
  mimeType: string;
  size: number;
  sha256: string;
  /** A specific version's bytes never change, so its URL may be cached for long. */
  immutable: boolean;
}

@Injectable()
export class ResourcesService {
  constructor(
    private readonly resources: ResourceRepository,
    private readonly courses: CatalogueService,
    private readonly store: BlobStore,
    @Inject(UPLOAD_MAX_BYTES) private readonly maxBytes: number,
    private readonly space: UploadSpace,
  ) {}

  /** Receives a multipart upload if there is room for it (see UploadSpace), before and after reading it. */
  private async receive(actor: AuthUser, req: IncomingMessage) {
    await this.space.assertRoom(actor, Number(req.headers['content-length']) || 0);
    const upload = await receiveUpload(req, this.store, this.maxBytes);
    try {
      // The file is on the disk now: the floor must still hold, without counting its bytes a second time.
      await this.space.assertRoom(actor, upload.file.size, { onDisk: true });
    } catch (e) {
      await this.store.discard(upload.file.tempPath);
      throw e;
    }
    return upload;
  }

  limits(): UploadLimitsDto {
    return { maxUploadBytes: this.maxBytes };
  }

  async list(actor: AuthUser | undefined, courseId: number, lessonId?: number): Promise<ResourceDto[]> {
    const course = await this.courses.ownership(courseId);
    assertCanView(actor, course, courseId);
    const rows = await this.resources.listVisible(courseId, actor, canEditCourse(actor, course), lessonId);
    return rows.map(toResourceDto);
  }

  async get(actor: AuthUser | undefined, id: number): Promise<ResourceDetailDto> {
    return toResourceDetailDto(await this.requireVisible(actor, id));
  }

  /** A new resource from a multipart upload: access is checked before a byte of the body is read. */
  async create(actor: AuthUser, courseId: number, req: IncomingMessage): Promise<ResourceDetailDto> {
    assertCanEdit(actor, await this.courses.ownership(courseId), courseId);
    const upload = await this.receive(actor, req);
    const id = await this.storeAndRecord(upload.file, actor.id, async (version) => {
      const fields = await this.validateFields(upload.fields);
      if (fields.lessonId) {
        const lesson = await this.courses.lesson(fields.lessonId);
        if (!lesson || lesson.courseId !== courseId) throw new BadRequestException(`Lesson ${fields.lessonId} is not part of course ${courseId}`);
      }
      return this.resources.createWithVersion(
        {
          courseId,
          lessonId: fields.lessonId ?? null,
          ownerId: actor.id,
          title: fields.title ?? stripExtension(upload.file.filename),
          kind: this.kindOrReject(upload.file),
          visibility: fields.visibility,
        },
        version,
      );
    });
    return this.get(actor, id);
  }

  /** Adds a version; earlier versions stay as they were. */
  async addVersion(actor: AuthUser, id: number, req: IncomingMessage): Promise<ResourceDetailDto> {
    await this.requireEditable(actor, id);
    const upload = await this.receive(actor, req);
    if (Object.keys(upload.fields).length) {
      await this.store.discard(upload.file.tempPath);
      throw new BadRequestException(`A new version takes only the file; unexpected fields: ${Object.keys(upload.fields).join(', ')}`);
    }
    await this.storeAndRecord(upload.file, actor.id, (version) => this.resources.appendVersion(id, this.kindOrReject(upload.file), version));
    return this.get(actor, id);
  }

  async update(actor: AuthUser, id: number, body: UpdateResourceBody): Promise<ResourceDetailDto> {
    const resource = await this.requireEditable(actor, id);
    if (body.lessonId) {
      const lesson = await this.courses.lesson(body.lessonId);
      if (!lesson || lesson.courseId !== resource.courseId) {
        throw new BadRequestException(`Lesson ${body.lessonId} is not part of course ${resource.courseId}`);
      }
    }
    await this.resources.update(id, body);
    return this.get(actor, id);
  }

  async remove(actor: AuthUser, id: number): Promise<void> {
    await this.requireEditable(actor, id);
    await this.resources.delete(id);
  }

  async download(actor: AuthUser | undefined, id: number, versionNumber?: number): Promise<StoredFile> {
    const resource = await this.requireVisible(actor, id);
    const version = versionNumber ? resource.versions.find((v) => v.version === versionNumber) : resource.versions[0];
    if (!version) throw new NotFoundException(`Resource ${id} has no version ${versionNumber}`);
    return {
      path: this.store.pathFor(version.blobSha256),
      filename: version.filename,
      mimeType: version.mimeType,
      size: version.size,
      sha256: version.blobSha256,
      immutable: versionNumber !== undefined,
    };
  }

  async setCover(actor: AuthUser, courseId: number, req: IncomingMessage): Promise<CourseDetailDto['coverUrl']> {
    assertCanEdit(actor, await this.courses.ownership(courseId), courseId);
    const upload = await this.receive(actor, req);
    await this.storeAndRecord(upload.file, actor.id, async (v) => {
      if (!IMAGE_MIME_TYPES.includes(v.mimeType)) throw unsupported(`A cover must be an image (PNG, JPEG, GIF, WebP); this is ${upload.file.detected}`);
      await this.resources.setCover(courseId, v);
      return courseId;
    });
    return toCoverUrl(courseId, upload.file.sha256);
  }

  async cover(actor: AuthUser | undefined, courseId: number): Promise<StoredFile> {
    const course = await this.courses.ownership(courseId);
    assertCanView(actor, course, courseId);
    const blob = course!.coverSha256 ? await this.resources.findBlob(course!.coverSha256) : null;
    if (!blob) throw new NotFoundException(`Course ${courseId} has no cover image`);
    return { path: this.store.pathFor(blob.sha256), filename: `cover-${courseId}`, mimeType: blob.mimeType, size: blob.size, sha256: blob.sha256, immutable: false };
  }

  /**
   * Moves the received file into the store, then runs `record` (the database writes). If `record` fails,
   * a blob this upload newly placed and no row refers to is removed again: a rejected upload leaves nothing.
   */
  private async storeAndRecord<T>(file: ReceivedFile, uploadedBy: number, record: (version: NewVersion) => Promise<T>): Promise<T> {
    let created = false;
    // The file is put in place inside the database transaction, with the blob's row locked (lockBlob), so the
    // blob collector can never remove it between "it is there already" and the version that refers to it.
    const place = async () => (created = (await this.store.place(file.tempPath, file.sha256)).created || created);
    const version: NewVersion = { sha256: file.sha256, size: file.size, mimeType: file.mimeType, filename: file.filename, uploadedBy, place };
    try {
      return await record(version);
    } catch (e) {
      if (created && !(await this.resources.blobExists(file.sha256))) await this.store.remove(file.sha256);
      throw e;
    } finally {
      await this.store.discard(file.tempPath);
    }
  }

  private kindOrReject(file: ReceivedFile) {
    const kind = kindOf(file.mimeType);
    if (!kind) {
      throw unsupported(
        `Files of this type are not accepted: ${file.detected}. Upload slides, documents, spreadsheets, images, audio, video, text or ZIP`,
      );
    }
    return kind;
  }

  private async validateFields(raw: Record<string, string>): Promise<CreateResourceFields> {
    const fields = plainToInstance(CreateResourceFields, raw);
    const errors = await validate(fields, { whitelist: true, forbidNonWhitelisted: true });
    if (errors.length) {
      const details = errors.flatMap((e) => Object.values(e.constraints ?? {}));
      throw new BadRequestException({ message: details, error: 'Bad Request' });
    }
    return fields;
  }

  private async requireVisible(actor: AuthUser | undefined, id: number): Promise<ResourceRow> {
    const resource = await this.resources.findWithVersions(id);
    const course = resource ? await this.courses.ownership(resource.courseId) : null;
    if (!resource || !course || !canSee(actor, course, resource)) throw new NotFoundException(`Resource ${id} does not exist`);
    return resource;
  }

  private async requireEditable(actor: AuthUser, id: number): Promise<ResourceRow> {
    const resource = await this.requireVisible(actor, id);
    assertCanEdit(actor, await this.courses.ownership(resource.courseId), resource.courseId);
    return resource;
  }
}

function canSee(actor: AuthUser | undefined, course: Parameters<typeof canEditCourse>[1], r: ResourceRow): boolean {
  if (canEditCourse(actor, course)) return true;
  if (course.status !== 'published') return false;
  if (r.visibility === 'public') return true;
  if (!actor) return false;
  if (r.ownerId === actor.id) return true;
  return r.visibility === 'school' && actor.schoolId !== null && actor.schoolId === r.ownerSchoolId;
}

function unsupported(message: string): HttpException {
  return new HttpException({ statusCode: 415, error: 'Unsupported Media Type', message }, HttpStatus.UNSUPPORTED_MEDIA_TYPE);
}

function stripExtension(filename: string): string {
  const dot = filename.lastIndexOf('.');
  return (dot > 0 ? filename.slice(0, dot) : filename).slice(0, 200);
}
