import { IsInt, Max, Min } from 'class-validator';
import type { SessionRef } from '../contracts/live.js';
import { MAX_ID } from '../common/id.dto.js';

export class SessionRefDto implements SessionRef {
  @IsInt({ message: 'sessionId must be a positive integer' })
  @Min(1, { message: 'sessionId must be a positive integer' })
  @Max(MAX_ID)
  sessionId: number;
}
