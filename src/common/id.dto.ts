import { applyDecorators } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';

export const MAX_ID = 2_147_483_647;

/** A database id in a JSON body: a positive 32-bit integer. */
export const IsId = () => applyDecorators(IsInt(), Min(1), Max(MAX_ID));

/** A database id in a query string (arrives as text). */
export const IsQueryId = () => applyDecorators(Type(() => Number), IsInt(), Min(1), Max(MAX_ID));

/** `:id` route params: a positive 32-bit integer, or a 400 that says so. */
export class IdParam {
  @Type(() => Number)
  @IsInt({ message: 'id must be a positive integer' })
  @Min(1, { message: 'id must be a positive integer' })
  @Max(MAX_ID, { message: 'id is out of range' })
  id: number;
}

export class PageQuery {
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100000)
  page = 1;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  pageSize = 12;
}
