import { ValidationPipe, type ValidationPipeOptions } from '@nestjs/common';

/** The validation every HTTP body, query and param, and every socket message, goes through. */
export function createValidationPipe(extra: ValidationPipeOptions = {}): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    stopAtFirstError: true,
    ...extra,
  });
}
