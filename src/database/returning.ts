/**
 * The rows an `UPDATE … RETURNING` or `DELETE … RETURNING` gave back. TypeORM's `query()` answers those with
 * `[rows, rowCount]` on PostgreSQL (and an INSERT or SELECT with the rows alone), so the length of what it returns
 * says nothing about how many rows were changed: a compare-and-set written as `result.length > 0` always "wins".
 */
export function returnedRows<T>(result: unknown): T[] {
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') return result[0] as T[];
  return result as T[];
}
