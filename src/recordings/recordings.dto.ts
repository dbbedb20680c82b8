import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsIn, IsNumber, IsOptional, Max, Matches, Min } from 'class-validator';
import { RECORDING_STATUSES, type RecordingQuery, type RecordingStatus, type SaveRecordingProgressRequest, type UpdateSessionRecordingRequest } from '../contracts/api.js';
import { IdParam, IsQueryId, PageQuery } from '../common/id.dto.js';
import { RENDITIONS, type Rendition } from './media-args.js';

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
