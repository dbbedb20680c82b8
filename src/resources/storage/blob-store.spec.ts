import { mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BlobStore } from './blob-store.js';

describe('BlobStore temp files', () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'tongke-blobs-'));
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  it('removes at start what a killed server left of unfinished uploads, and keeps an upload in flight', async () => {
    const first = new BlobStore(root);
    await first.init();
    const tmp = join(root, 'tmp');
    const hourAgo = new Date(Date.now() - 3_600_000);
    for (const name of ['killed-1.part', 'killed-2.part']) {
      await writeFile(join(tmp, name), 'half an upload');
      await utimes(join(tmp, name), hourAgo, hourAgo);
    }
    await writeFile(join(tmp, 'in-flight.part'), 'being written now');
    await writeFile(join(tmp, 'notes.txt'), 'not ours');

    expect(await new BlobStore(root).init()).toBe(2);
    expect((await readdir(tmp)).sort()).toEqual(['in-flight.part', 'notes.txt']);
  });

  it('still stores a file after the sweep', async () => {
    const store = new BlobStore(root);
    await store.init();
    const sha = await store.putBuffer(Buffer.from('lesson plan'));
    expect(await store.exists(sha)).toBe(true);
    expect(await readdir(join(root, 'tmp'))).toEqual([]);
  });
});
