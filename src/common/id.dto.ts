import { applyDecorators } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsInt, Max, Min, ValidateBy, type ValidationOptions } from 'class-validator';

export const MAX_ID = 2_147_483_647;

/**
 * A database id: a positive 32-bit integer. One check with one sentence, so that a string, null, 0 or a fraction
 * is told "<field> must be a positive integer" (three separate checks reported whichever ran first, which for
 * those was "must not be greater than 2147483647").
 */
export function IsPositiveId(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isPositiveId',
      validator: {
        validate: (value: unknown) => Number.isInteger(value) && (value as number) >= 1 && (value as number) <= MAX_ID,
        defaultMessage: (args) =>
          Number.isInteger(args?.value) && (args!.value as number) > MAX_ID ? `${args!.property} must be at most ${MAX_ID}` : `${args?.property} must be a positive integer`,
      },
    },
    options,
  );
}

/** A database id in a JSON body. */
export const IsId = () => IsPositiveId();

/** A database id in a query string (arrives as text). */
export const IsQueryId = () => applyDecorators(Type(() => Number), IsPositiveId());

/** `:id` route params: a positive 32-bit integer, or a 400 that says so. */
export class IdParam {
  @Type(() => Number)
  @IsPositiveId()
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
