import { IsIn, IsInt, IsNumber, IsObject, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import type {
  ChatRequest,
  ClassroomRef,
  ConnectTransportRequest,
  ConsumeRequest,
  ConsumerRef,
  CreateTransportRequest,
  LinkStats,
  MediaSource,
  ProduceRequest,
  ProducerRef,
  SessionRef,
  SetLayersRequest,
  TransportRef,
} from '../contracts/live.js';
import { IsPositiveId } from '../common/id.dto.js';
import { Trim } from '../common/fields.js';

export class SessionRefDto implements SessionRef {
  @IsPositiveId()
  sessionId: number;
}

export class CreateTransportDto implements CreateTransportRequest {
  @IsIn(['send', 'recv'])
  direction: 'send' | 'recv';
}

export class TransportRefDto implements TransportRef {
  @IsString()
  @Length(36, 36, { message: 'transportId must be a transport id' })
  transportId: string;
}

export class ConnectTransportDto extends TransportRefDto implements ConnectTransportRequest {
  @IsObject()
  dtlsParameters: Record<string, unknown>;
}

export class ProduceDto extends TransportRefDto implements ProduceRequest {
  @IsIn(['audio', 'video'])
  kind: 'audio' | 'video';

  @IsObject()
  rtpParameters: Record<string, unknown>;

  @IsIn(['camera', 'mic', 'screen'])
  source: MediaSource;
}

export class ProducerRefDto implements ProducerRef {
  @IsString()
  @Length(36, 36, { message: 'producerId must be a producer id' })
  producerId: string;
}

export class ConsumeDto extends ProducerRefDto implements ConsumeRequest {
  @IsObject()
  rtpCapabilities: Record<string, unknown>;
}

export class ConsumerRefDto implements ConsumerRef {
  @IsString()
  @Length(36, 36, { message: 'consumerId must be a consumer id' })
  consumerId: string;
}

export class SetLayersDto extends ConsumerRefDto implements SetLayersRequest {
  @IsInt()
  @Min(0)
  @Max(2)
  spatialLayer: number;

  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(2)
  temporalLayer?: number;
}

export class ClassroomRefDto implements ClassroomRef {
  @IsPositiveId()
  classroomId: number;
}

export class ChatDto implements ChatRequest {
  @Trim()
  @IsString()
  @Length(1, 2000, { message: 'text must be 1 to 2000 characters' })
  text: string;

  @IsIn(['chat', 'question'])
  kind: 'chat' | 'question';
}

export class LinkStatsDto implements LinkStats {
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(1_000_000)
  bitrateKbps: number;

  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(100)
  lossPct: number;

  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(60_000)
  jitterMs: number;

  @IsInt()
  @Min(0)
  framesDecoded: number;

  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(60_000)
  rttMs?: number;
}

