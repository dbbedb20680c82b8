import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cleanFilename, kindOf, sniffFile } from './file-types.js';

describe(cleanFilename.name, () => {
  it.each([
    ['课件.pptx', '课件.pptx'],
    ['../../etc/passwd', 'passwd'],
    ['C:\\Users\\老师\\教案.docx', '教案.docx'],
    ['..', 'file'],
    ['.bashrc', 'bashrc'],
    ['a\u0000b\u001fc\u007f.txt', 'abc.txt'],
    ['', 'file'],
    [undefined, 'file'],
  ])('%j → %j', (raw, expected) => {
    expect(cleanFilename(raw)).toBe(expected);
  });

  it('keeps at most 255 characters', () => {
    expect(Array.from(cleanFilename('长'.repeat(300))).length).toBe(255);
  });
});

describe(sniffFile.name, () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'sniff-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const sniff = async (name: string, content: Buffer | string) => {
    const path = join(dir, Math.random().toString(36).slice(2));
    writeFileSync(path, content);
    return sniffFile(path, name);
  };

  it('recognises UTF-8 text, including Chinese cut mid-character at the sample edge', async () => {
    const text = '教学设计'.repeat(30000); // > 64 KiB, so the sample ends inside a character
    expect((await sniff('a.txt', text)).mimeType).toBe('text/plain');
    expect((await sniff('成绩.csv', '姓名,分数\n小明,95\n')).mimeType).toBe('text/csv');
  });

  it('calls binary without a signature octet-stream, whatever the name says', async () => {
    expect((await sniff('notes.txt', Buffer.from([0, 1, 2, 3, 0xff, 0xfe]))).mimeType).toBe('application/octet-stream');
  });

  it('maps only teaching material to a resource kind', () => {
    expect(kindOf('application/pdf')).toBe('document');
    expect(kindOf('video/mp4')).toBe('video');
    expect(kindOf('application/x-elf')).toBeUndefined();
    expect(kindOf('application/octet-stream')).toBeUndefined();
  });
});
