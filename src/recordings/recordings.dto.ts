import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsIn, IsNumber, IsOptional, Max, Matches, Min } from 'class-validator';
import { RECORDING_STATUSES, type RecordingDto, type RecordingQuery, type RecordingStatus, type SaveRecordingProgressRequest, type UpdateSessionRecordingRequest } from '../contracts/api.js';
import { IdParam, IsQueryId, PageQuery } from '../common/id.dto.js';
import { RENDITIONS, type Rendition } from './media-args.js';
import type { RecordingRow } from './recording.repository.js';

export class RecordingQueryParams extends PageQuery implements RecordingQuery {
  @ApiPropertyOptional()
  @IsOptional()
  @IsQueryId()
  courseId?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @IsQueryId()
  sessionId?: number;

  @ApiPropertyOptional({ enum: RECORDING_STATUSES })
  @IsOptional()
  @IsIn(RECORDING_STATUSES, { message: `status must be one of ${RECORDING_STATUSES.join(', ')}` })
  status?: RecordingStatus;
}

export class SaveProgressBody implements SaveRecordingProgressRequest {
  @ApiProperty({ description: 'Seconds from the start', minimum: 0 })
  @IsNumber({ allowNaN: false, allowInfinity: false, maxDecimalPlaces: 3 }, { message: 'positionSeconds must be a number of seconds' })
  @Min(0)
  @Max(6 * 3600)
  positionSeconds: number;
}

export class SessionRecordBody implements UpdateSessionRecordingRequest {
  @ApiProperty()
  @IsBoolean({ message: 'record must be true or false' })
  record: boolean;
}

/** `/api/recordings/:id/hls/:part/:segment`: names the recorder writes, nothing else. */
export class RenditionSegmentParams extends IdParam {
  @Type(() => String)
  @Matches(/^part-\d{3,6}$/, { message: 'part must look like part-001' })
  part: string;

  @Type(() => String)
  @IsIn(RENDITIONS, { message: `rendition must be one of ${RENDITIONS.join(', ')}` })
  rendition: Rendition;

  @Type(() => String)
  @Matches(/^seg-\d{5,6}\.ts$/, { message: 'segment must look like seg-00000.ts' })
  segment: string;
}

export class SegmentParams extends IdParam {
  @Type(() => String)
  @Matches(/^part-\d{3,6}$/, { message: 'part must look like part-001' })
  part: string;

  @Type(() => String)
  @Matches(/^seg-\d{5,6}\.ts$/, { message: 'segment must look like seg-00000.ts' })
  segment: string;
}

/** A recording as the API shows it, with the addresses of its playlists, video and poster. */
export const toRecordingDto = (r: RecordingRow): RecordingDto => {
  const base = `/api/recordings/${r.id}`;
  const gone = r.status === 'deleted';
  return {
    id: r.id,
    sessionId: r.session_id,
    courseId: r.course_id,
    courseTitle: r.course_title,
    lessonId: r.lesson_id,
    lessonTitle: r.lesson_title,
    title: r.title,
    teacher: { id: r.teacher_id, displayName: r.teacher_name },
    sessionStartsAt: r.starts_at.toISOString(),
    timezone: r.timezone,
    status: r.status,
    parts: r.parts,
    durationSeconds: r.duration_seconds === null ? null : Number(r.duration_seconds),
    sizeBytes: Number(r.size_bytes),
    progress: r.progress,
    error: r.error,
    hasPoster: r.has_poster,
    hasMp4: r.has_mp4,
    chapters: r.chapters,
    createdAt: r.created_at.toISOString(),
    playlistUrl: `${base}/hls/index.m3u8`,
    masterPlaylistUrl: `${base}/hls/master.m3u8`,
    mp4Url: r.has_mp4 && !gone ? `${base}/video.mp4` : null,
    posterUrl: r.has_poster && !gone ? `${base}/poster.jpg` : null,
    myPositionSeconds: r.position_seconds === null ? null : Number(r.position_seconds),
  };
};
