import { safeCell, toCsv } from './csv.js';

describe('CSV cells', () => {
  it.each(['=HYPERLINK("http://x","y")', '+1+2', '-2+3', '@SUM(A1)', '\t=1', '\r=1'])('neutralises %j', (text) => {
    expect(safeCell(text)).toBe(`'${text}`);
  });

  it('leaves ordinary text and numbers, negative ones too, as they are', () => {
    expect(safeCell('石门小学 三年级')).toBe('石门小学 三年级');
    expect(safeCell('a=b')).toBe('a=b');
    expect(safeCell(-3)).toBe(-3);
    expect(safeCell(null)).toBe('');
  });

  it('writes a BOM, quotes what needs it, and neutralises inside quotes too', () => {
    expect(toCsv([['school', 'gap'], ['=cmd|"/c calc"!A0', -2]])).toBe('\ufeffschool,gap\n"\'=cmd|""/c calc""!A0",-2\n');
  });
});
