import { updateSet } from './updates.js';

describe(updateSet.name, () => {
  it('sets the columns given a value, null included, and moves updated_at on; the id is $1', () => {
    expect(updateSet(7, { title: '分数', summary: undefined, lesson_id: null })).toEqual({
      set: 'updated_at = now(), title = $2, lesson_id = $3',
      params: [7, '分数', null],
    });
  });

  it('only moves updated_at on when nothing is given', () => {
    expect(updateSet(7, { title: undefined })).toEqual({ set: 'updated_at = now()', params: [7] });
  });
});
