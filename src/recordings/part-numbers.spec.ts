import { lastPartNumber } from './recordings.service.js';

describe(lastPartNumber.name, () => {
  it('continues after the highest part, not after the count of parts (an empty part in between was removed)', () => {
    expect(lastPartNumber(['part-001', 'part-003', 'index.m3u8'])).toBe(3);
  });

  it('is 0 for a recording with no part yet, and reads numbers past 999', () => {
    expect(lastPartNumber([])).toBe(0);
    expect(lastPartNumber(['master.m3u8', 'poster.jpg'])).toBe(0);
    expect(lastPartNumber(['part-999', 'part-1000'])).toBe(1000);
  });
});
