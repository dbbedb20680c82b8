import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiTags } from '@nestjs/swagger';
import { create as contentDisposition } from 'content-disposition';
import type { Request, Response } from 'express';
import type { CoverResponse, ResourceDetailDto, ResourceDto, UploadLimitsDto } from '../contracts/api.js';
import type { AuthUser } from '../auth/auth-user.js';
import { CurrentUser, Public, Roles } from '../auth/decorators.js';
import { IdParam } from '../common/id.dto.js';
import { sendFileWithRange } from '../common/send-file.js';
import { DownloadQuery, UpdateResourceBody } from './resources.dto.js';
import { ResourcesService, type StoredFile } from './resources.service.js';

const UPLOAD_SCHEMA = {
  schema: {
    type: 'object',
    required: ['file'],
    properties: {
      title: { type: 'string' },
      visibility: { type: 'string', enum: ['private', 'school', 'public'] },
      lessonId: { type: 'integer' },
      file: { type: 'string', format: 'binary' },
    },
  },
};

@ApiTags('resources')
@ApiBearerAuth()
@Controller('api')
export class ResourcesController {
  constructor(private readonly service: ResourcesService) {}

  @Get('uploads/limits')
  @Public()
  limits(): UploadLimitsDto {
    return this.service.limits();
  }

  @Get('courses/:id/resources')
  @Public()
  list(@CurrentUser() actor: AuthUser | undefined, @Param() { id }: IdParam): Promise<ResourceDto[]> {
    return this.service.list(actor, id);
  }

  /** multipart/form-data: `title`, `visibility`, `lessonId`, then `file`. Streamed to disk, never buffered. */
  @Post('courses/:id/resources')
  @Roles('teacher', 'admin')
  @ApiConsumes('multipart/form-data')
  @ApiBody(UPLOAD_SCHEMA)
  upload(@CurrentUser() actor: AuthUser, @Param() { id }: IdParam, @Req() req: Request): Promise<ResourceDetailDto> {
    return this.service.create(actor, id, req);
  }

  @Put('courses/:id/cover')
  @Roles('teacher', 'admin')
  @ApiConsumes('multipart/form-data')
  async setCover(@CurrentUser() actor: AuthUser, @Param() { id }: IdParam, @Req() req: Request): Promise<CoverResponse> {
    return { coverUrl: await this.service.setCover(actor, id, req) };
  }

  @Get('courses/:id/cover')
  @Public()
  async cover(@CurrentUser() actor: AuthUser | undefined, @Param() { id }: IdParam, @Res() res: Response): Promise<void> {
    sendStored(res, await this.service.cover(actor, id), 'inline');
  }

  @Get('resources/:id')
  @Public()
  get(@CurrentUser() actor: AuthUser | undefined, @Param() { id }: IdParam): Promise<ResourceDetailDto> {
    return this.service.get(actor, id);
  }

  @Post('resources/:id/versions')
  @Roles('teacher', 'admin')
  @ApiConsumes('multipart/form-data')
  addVersion(@CurrentUser() actor: AuthUser, @Param() { id }: IdParam, @Req() req: Request): Promise<ResourceDetailDto> {
    return this.service.addVersion(actor, id, req);
  }

  @Patch('resources/:id')
  @Roles('teacher', 'admin')
  update(@CurrentUser() actor: AuthUser, @Param() { id }: IdParam, @Body() body: UpdateResourceBody): Promise<ResourceDetailDto> {
    return this.service.update(actor, id, body);
  }

  @Delete('resources/:id')
  @Roles('teacher', 'admin')
  @HttpCode(204)
  remove(@CurrentUser() actor: AuthUser, @Param() { id }: IdParam): Promise<void> {
    return this.service.remove(actor, id);
  }

  /** Answers Range requests (206, for scrubbing through video) and conditional requests (ETag). */
  @Get('resources/:id/download')
  @Public()
  async download(
    @CurrentUser() actor: AuthUser | undefined,
    @Param() { id }: IdParam,
    @Query() { version }: DownloadQuery,
    @Res() res: Response,
  ): Promise<void> {
    sendStored(res, await this.service.download(actor, id, version), 'attachment');
  }
}

/**
 * Express's sendFile does Range, If-Range, If-None-Match and HEAD; we add the sniffed type, the original
 * (possibly Chinese) filename in RFC 5987 form, and caching fit for who may see the file.
 */
function sendStored(res: Response, file: StoredFile, disposition: 'attachment' | 'inline'): void {
  sendFileWithRange(res, file.path, {
    'Content-Type': file.mimeType,
    'Content-Disposition': contentDisposition(file.filename, { type: disposition }),
    'Cache-Control': file.immutable ? 'private, max-age=31536000, immutable' : 'private, no-cache',
    ETag: `"${file.sha256}"`,
  });
}
