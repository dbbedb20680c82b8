import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query, Res } from '@nestjs/common';
import { SkipThrottle } from '@nestjs/throttler';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { create as contentDisposition } from 'content-disposition';
import type { Response } from 'express';
import type { ClassSessionDto, Page, RecordingDto, RecordingStorageDto } from '../contracts/api.js';
import type { AuthUser } from '../auth/auth-user.js';
import { CurrentUser, Roles } from '../auth/decorators.js';
import { IdParam } from '../common/id.dto.js';
import { sendFileWithRange } from '../common/send-file.js';
import { RecordingQueryParams, RenditionSegmentParams, SaveProgressBody, SegmentParams, SessionRecordBody } from './recordings.dto.js';
import { RecordingsService } from './recordings.service.js';

/** Segments never change once written; playlists of a running class change every few seconds. */
const IMMUTABLE = 'private, max-age=31536000, immutable';

/** A playlist: re-read while the class is live (it grows), briefly cached once it is over. */
function sendPlaylist(res: Response, { text, live }: { text: string; live: boolean }): void {
  res
    .status(200)
    .set({ 'Content-Type': 'application/vnd.apple.mpegurl', 'Cache-Control': live ? 'private, no-cache' : 'private, max-age=60', 'X-Content-Type-Options': 'nosniff' })
    .send(text);
}

@ApiTags('recordings')
@ApiBearerAuth()
@Controller('api')
export class RecordingsController {
  constructor(private readonly service: RecordingsService) {}

  @Get('recordings')
  list(@CurrentUser() actor: AuthUser, @Query() q: RecordingQueryParams): Promise<Page<RecordingDto>> {
    return this.service.list(actor, q);
  }

  @Get('recordings/storage')
  @Roles('admin')
  storage(): Promise<RecordingStorageDto> {
    return this.service.storage();
  }

  @Get('recordings/:id')
  get(@CurrentUser() actor: AuthUser, @Param() { id }: IdParam): Promise<RecordingDto> {
    return this.service.get(actor, id);
  }

  @Get('sessions/:id/recording')
  ofSession(@CurrentUser() actor: AuthUser, @Param() { id }: IdParam): Promise<RecordingDto> {
    return this.service.ofSession(actor, id);
  }

  @Put('sessions/:id/recording')
  @Roles('admin', 'teacher')
  setRecord(@CurrentUser() actor: AuthUser, @Param() { id }: IdParam, @Body() body: SessionRecordBody): Promise<ClassSessionDto> {
    return this.service.setSessionRecord(actor, id, body.record);
  }

  @Put('recordings/:id/progress')
  @HttpCode(204)
  async progress(@CurrentUser() actor: AuthUser, @Param() { id }: IdParam, @Body() body: SaveProgressBody): Promise<void> {
    await this.service.saveProgress(actor, id, body.positionSeconds);
  }

  @Post('recordings/:id/retry')
  @Roles('admin', 'teacher')
  @HttpCode(200)
  retry(@CurrentUser() actor: AuthUser, @Param() { id }: IdParam): Promise<RecordingDto> {
    return this.service.retry(actor, id);
  }

  @Delete('recordings/:id')
  @Roles('admin', 'teacher')
  @HttpCode(204)
  async remove(@CurrentUser() actor: AuthUser, @Param() { id }: IdParam): Promise<void> {
    await this.service.remove(actor, id);
  }

  @Get('recordings/:id/hls/master.m3u8')
  @SkipThrottle()
  async master(@CurrentUser() actor: AuthUser, @Param() { id }: IdParam, @Res() res: Response): Promise<void> {
    sendPlaylist(res, await this.service.masterPlaylist(actor, id));
  }

  @Get('recordings/:id/hls/index.m3u8')
  @SkipThrottle()
  async playlist(@CurrentUser() actor: AuthUser, @Param() { id }: IdParam, @Res() res: Response): Promise<void> {
    sendPlaylist(res, await this.service.playlist(actor, id));
  }

  @Get('recordings/:id/hls/low.m3u8')
  @SkipThrottle()
  async lowPlaylist(@CurrentUser() actor: AuthUser, @Param() { id }: IdParam, @Res() res: Response): Promise<void> {
    sendPlaylist(res, await this.service.playlist(actor, id, 'low'));
  }

  @Get('recordings/:id/hls/audio.m3u8')
  @SkipThrottle()
  async audioPlaylist(@CurrentUser() actor: AuthUser, @Param() { id }: IdParam, @Res() res: Response): Promise<void> {
    sendPlaylist(res, await this.service.playlist(actor, id, 'audio'));
  }

  @Get('recordings/:id/hls/:part/:rendition/:segment')
  @SkipThrottle()
  async renditionSegment(@CurrentUser() actor: AuthUser, @Param() p: RenditionSegmentParams, @Res() res: Response): Promise<void> {
    sendFileWithRange(res, await this.service.segmentPath(actor, p.id, p.part, p.segment, p.rendition), { 'Content-Type': 'video/mp2t', 'Cache-Control': IMMUTABLE });
  }

  @Get('recordings/:id/hls/:part/:segment')
  @SkipThrottle()
  async segment(@CurrentUser() actor: AuthUser, @Param() p: SegmentParams, @Res() res: Response): Promise<void> {
    sendFileWithRange(res, await this.service.segmentPath(actor, p.id, p.part, p.segment), { 'Content-Type': 'video/mp2t', 'Cache-Control': IMMUTABLE });
  }

  @Get('recordings/:id/video.mp4')
  @SkipThrottle()
  async mp4(@CurrentUser() actor: AuthUser, @Param() { id }: IdParam, @Res() res: Response): Promise<void> {
    const { path, rec } = await this.service.filePath(actor, id, 'mp4');
    const name = `${rec.courseTitle} - ${rec.title} (${rec.sessionStartsAt.slice(0, 10)}).mp4`.replace(/[\\/:*?"<>|]/g, '_');
    sendFileWithRange(res, path, { 'Content-Type': 'video/mp4', 'Content-Disposition': contentDisposition(name), 'Cache-Control': 'private, no-cache' }, { etag: true });
  }

  @Get('recordings/:id/poster.jpg')
  @SkipThrottle()
  async poster(@CurrentUser() actor: AuthUser, @Param() { id }: IdParam, @Res() res: Response): Promise<void> {
    const { path } = await this.service.filePath(actor, id, 'poster');
    sendFileWithRange(res, path, { 'Content-Type': 'image/jpeg', 'Cache-Control': 'private, no-cache' }, { etag: true });
  }
}
