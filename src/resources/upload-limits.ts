import { HttpException, HttpStatus } from '@nestjs/common';

const MB = 1024 * 1024;

/**
 * The refusal of an upload of `bytes` that would leave less than `minFreeMb` of the disk free (`freeBytes` are
 * free now), or null: it fits.
 */
export function diskRefusal(freeBytes: number, bytes: number, minFreeMb: number): HttpException | null {
  if (freeBytes - bytes >= minFreeMb * MB) return null;
  return new HttpException(
    {
      statusCode: 507,
      error: 'Insufficient Storage',
      code: 'DISK_FULL',
      message: `The server is nearly out of disk space (${Math.floor(freeBytes / MB)} MB free, ${minFreeMb} MB kept free): uploads are paused until an administrator frees space`,
    },
    HttpStatus.INSUFFICIENT_STORAGE,
  );
}

/** The refusal of an upload of `bytes` that would take an account's files (`usedBytes` now) over `quotaMb`, or null. */
export function quotaRefusal(usedBytes: number, bytes: number, quotaMb: number): HttpException | null {
  if (usedBytes + bytes <= quotaMb * MB) return null;
  return new HttpException(
    {
      statusCode: 413,
      error: 'Payload Too Large',
      code: 'QUOTA_EXCEEDED',
      message: `This upload would take your files to ${Math.ceil((usedBytes + bytes) / MB)} MB, over your ${quotaMb} MB: delete resources you no longer need, or ask an administrator`,
    },
    HttpStatus.PAYLOAD_TOO_LARGE,
  );
}
