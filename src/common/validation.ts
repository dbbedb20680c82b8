import { ValidationPipe } from '@nestjs/common';

/** The validation every HTTP body, query and param goes through (and, later, every socket message). */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    stopAtFirstError: true,
  });
}
