import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { GRADES, IsGradeId, IsTitle } from './fields.js';

class Sut {
  @IsTitle()
  title: string;

  @IsGradeId()
  gradeId: number;
}

const check = (body: object) => {
  const sut = plainToInstance(Sut, body);
  return { sut, errors: validateSync(sut).flatMap((e) => Object.values(e.constraints ?? {})) };
};

describe('shared fields', () => {
  it('takes the grades of compulsory education, 1 to 9, and says so otherwise', () => {
    expect(GRADES).toEqual({ min: 1, max: 9 });
    expect(check({ title: '分数', gradeId: 1 }).errors).toEqual([]);
    expect(check({ title: '分数', gradeId: 9 }).errors).toEqual([]);
    for (const gradeId of [0, 10, 12, 3.5, '3']) {
      expect(check({ title: '分数', gradeId }).errors).toContain('gradeId must be a grade from 1 to 9');
    }
  });

  it('trims a title and takes 1 to 200 characters of it', () => {
    expect(check({ title: '  认识几分之一 ', gradeId: 3 }).sut.title).toBe('认识几分之一');
    expect(check({ title: '   ', gradeId: 3 }).errors).toEqual([expect.stringMatching(/title must be longer than or equal to 1/)]);
    expect(check({ title: 'x'.repeat(201), gradeId: 3 }).errors).toEqual([expect.stringMatching(/shorter than or equal to 200/)]);
    expect(check({ title: 'x'.repeat(200), gradeId: 3 }).errors).toEqual([]);
    expect(check({ title: 42, gradeId: 3 }).errors).toContain('title must be a string');
  });
});
