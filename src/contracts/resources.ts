/**
 * Teachers' shared lesson materials: resources, their versions and who may see them, and upload limits.
 * Part of the HTTP API's shapes, shared with the web app (see api.ts).
 */

export const VISIBILITIES = ['private', 'school', 'public'] as const;
export type Visibility = (typeof VISIBILITIES)[number];

export const RESOURCE_KINDS = ['slides', 'document', 'spreadsheet', 'audio', 'video', 'image', 'text', 'archive'] as const;
export type ResourceKind = (typeof RESOURCE_KINDS)[number];

export interface ResourceVersionDto {
  id: number;
  version: number;
  filename: string;
  size: number;
  mimeType: string;
  sha256: string;
  uploadedBy: number;
  createdAt: string;
  downloadUrl: string;
}

export interface ResourceDto {
  id: number;
  courseId: number;
  lessonId: number | null;
  title: string;
  kind: ResourceKind;
  visibility: Visibility;
  owner: { id: number; displayName: string; schoolId: number | null };
  latest: ResourceVersionDto;
  versionCount: number;
  createdAt: string;
  updatedAt: string;
}

export interface ResourceDetailDto extends ResourceDto {
  versions: ResourceVersionDto[];
}

export interface UpdateResourceRequest {
  title?: string;
  visibility?: Visibility;
  lessonId?: number | null;
}

/** `GET /api/uploads/limits` (public): what the server accepts, so the web app can refuse a file before sending it. */
export interface UploadLimitsDto {
  maxUploadBytes: number;
}
