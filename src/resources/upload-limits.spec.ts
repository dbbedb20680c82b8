import { HttpStatus } from '@nestjs/common';
import { diskRefusal, quotaRefusal } from './upload-limits.js';

const MB = 1024 * 1024;

describe(diskRefusal.name, () => {
  it('lets an upload through that leaves at least the floor free, to the byte', () => {
    expect(diskRefusal(1124 * MB, 100 * MB, 1024)).toBeNull();
    expect(diskRefusal(1124 * MB, 100 * MB + 1, 1024)).not.toBeNull();
  });

  it('refuses with 507 DISK_FULL, saying how much is free (rounded down) and how much is kept free', () => {
    const sut = diskRefusal(1500.9 * MB, 600 * MB, 1024)!;
    expect(sut.getStatus()).toBe(HttpStatus.INSUFFICIENT_STORAGE);
    expect(sut.getResponse()).toEqual({
      statusCode: 507,
      error: 'Insufficient Storage',
      code: 'DISK_FULL',
      message: 'The server is nearly out of disk space (1500 MB free, 1024 MB kept free): uploads are paused until an administrator frees space',
    });
  });

  it('refuses even an empty upload once the disk is below the floor', () => {
    expect(diskRefusal(1023 * MB, 0, 1024)?.getStatus()).toBe(507);
  });
});

describe(quotaRefusal.name, () => {
  it('lets an upload through that brings the account to its quota exactly', () => {
    expect(quotaRefusal(9 * MB, MB, 10)).toBeNull();
    expect(quotaRefusal(0, 10 * MB, 10)).toBeNull();
    expect(quotaRefusal(9 * MB, MB + 1, 10)).not.toBeNull();
  });

  it('refuses with 413 QUOTA_EXCEEDED, saying where the upload would take the account (rounded up)', () => {
    const sut = quotaRefusal(10 * MB - 10, 11, 10)!;
    expect(sut.getStatus()).toBe(HttpStatus.PAYLOAD_TOO_LARGE);
    expect(sut.getResponse()).toEqual({
      statusCode: 413,
      error: 'Payload Too Large',
      code: 'QUOTA_EXCEEDED',
      message: 'This upload would take your files to 11 MB, over your 10 MB: delete resources you no longer need, or ask an administrator',
    });
  });

  it('refuses an upload larger than the whole quota to an account with nothing stored', () => {
    expect(quotaRefusal(0, 10 * MB + 1, 10)?.getStatus()).toBe(413);
  });
});
