import { busName } from './redis-adapter.js';

describe(busName.name, () => {
  it('names the bus after the database, so nodes of one install share it and two installs on one Redis do not', () => {
    expect(busName('postgres://tongke:secret@postgres:5432/tongke')).toBe('postgres:5432/tongke');
    expect(busName('postgres://tongke:secret@postgres/tongke')).toBe('postgres:5432/tongke');
    expect(busName('postgres://postgres@127.0.0.1:5432/tongke_test_7')).not.toBe(busName('postgres://postgres@127.0.0.1:5432/tongke_test_8'));
  });

  it('never carries the credentials', () => {
    expect(busName('postgres://tongke:s3cr%40t@db.example.cn:6432/tongke')).toBe('db.example.cn:6432/tongke');
  });
});
