import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cleanFilename, kindOf, sniffFile, withExtension } from './file-types.js';

describe(cleanFilename.name, () => {
  it.each([
    ['课件.pptx', '课件.pptx'],
    ['../../etc/passwd', 'passwd'],
    ['C:\\Users\\老师\\教案.docx', '教案.docx'],
    ['..', 'file'],
    ['.bashrc', 'bashrc'],
    ['a\u0000b\u001fc\u007f.txt', 'abc.txt'],
    ['作业\u202egpj.exe', '作业gpj.exe'],
    ['\u2067报告\u2069\u200f.pdf\u200b', '报告.pdf'],
    ['\ufeff课件\u2028.pptx', '课件.pptx'],
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

  it('names the file after what it is', async () => {
    const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, ...Array(64).fill(0)]);
    const pdf = Buffer.from('%PDF-1.7\n%âãÏÓ\n1 0 obj\n<<>>\nendobj\n');
    const named = async (name: string, content: Buffer | string) => withExtension(name, await sniff(name, content));
    expect(await named('photo.png', jpeg)).toBe('photo.jpg');
    expect(await named('photo.JPEG', jpeg)).toBe('photo.JPEG');
    expect(await named('照片.jpg', jpeg)).toBe('照片.jpg');
    expect(await named('worksheet', pdf)).toBe('worksheet.pdf');
    expect(await named('lesson.final', pdf)).toBe('lesson.final.pdf');
    expect(await named('notes.exe', '这不是程序\n')).toBe('notes.txt');
    expect(await named('notes.md', '# 教案\n')).toBe('notes.md');
    expect(await named('readme', 'plain words\n')).toBe('readme');
    expect(await named('blob.bin', Buffer.from([0, 1, 2, 3, 0xff]))).toBe('blob.bin');
  });
});
