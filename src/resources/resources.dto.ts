import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsIn, IsOptional, ValidateIf } from 'class-validator';
import { VISIBILITIES, type ResourceDetailDto, type ResourceDto, type ResourceVersionDto, type UpdateResourceRequest, type Visibility } from '../contracts/api.js';
import { IsPositiveId } from '../common/id.dto.js';
import type { ResourceRow, ResourceVersionRow } from './resource.repository.js';
import { IsTitle } from '../common/fields.js';


/** The text fields of a multipart upload that creates a resource (all arrive as strings). */
export class CreateResourceFields {
  @IsOptional()
  @IsTitle()
  title?: string;

  @IsOptional()
  @IsIn(VISIBILITIES)
  visibility: Visibility = 'school';

  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (value === '' ? undefined : value))
  @Type(() => Number)
  @IsPositiveId()
  lessonId?: number;
}

export class UpdateResourceBody implements UpdateResourceRequest {
  @ApiPropertyOptional()
  @IsOptional()
  @IsTitle()
  title?: string;

  @ApiPropertyOptional({ enum: VISIBILITIES })
  @IsOptional()
  @IsIn(VISIBILITIES)
  visibility?: Visibility;

  @ApiPropertyOptional({ nullable: true })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsPositiveId()
  lessonId?: number | null;
}

export class DownloadQuery {
  @ApiPropertyOptional({ description: 'Version number; the latest when omitted' })
  @IsOptional()
  @Type(() => Number)
  @IsPositiveId()
  version?: number;
}

export function toVersionDto(v: ResourceVersionRow): ResourceVersionDto {
  return {
    id: v.id,
    version: v.version,
    filename: v.filename,
    size: v.size,
    mimeType: v.mimeType,
    sha256: v.blobSha256,
    uploadedBy: v.uploadedBy,
    createdAt: v.createdAt.toISOString(),
    downloadUrl: `/api/resources/${v.resourceId}/download?version=${v.version}`,
  };
}

/** `versions` must be ordered newest first (as the repository returns them). */
export function toResourceDto(r: ResourceRow): ResourceDto {
  return {
    id: r.id,
    courseId: r.courseId,
    lessonId: r.lessonId,
    title: r.title,
    kind: r.kind,
    visibility: r.visibility,
    owner: { id: r.ownerId, displayName: r.ownerName, schoolId: r.ownerSchoolId },
    latest: toVersionDto(r.versions[0]),
    versionCount: r.versions.length,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}

export function toResourceDetailDto(r: ResourceRow): ResourceDetailDto {
  return { ...toResourceDto(r), versions: r.versions.map(toVersionDto) };
}
