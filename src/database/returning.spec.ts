import { returnedRows } from './returning.js';

describe(returnedRows.name, () => {
  it("takes the rows out of TypeORM's [rows, rowCount] answer to an UPDATE … RETURNING", () => {
    expect(returnedRows([[], 0])).toEqual([]);
    expect(returnedRows([[{ id: 7 }], 1])).toEqual([{ id: 7 }]);
  });

  it('passes the rows of a SELECT or INSERT through', () => {
    expect(returnedRows([{ id: 1 }, { id: 2 }])).toEqual([{ id: 1 }, { id: 2 }]);
    expect(returnedRows([])).toEqual([]);
  });
});
