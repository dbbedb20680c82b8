/**
 * The SET list and parameters of an UPDATE of one row (`WHERE id = $1`) that sets only the columns given a value
 * (undefined: left as it is; null is written) and moves `updated_at` on.
 */
export function updateSet(id: number, columns: Record<string, unknown>): { set: string; params: unknown[] } {
  const params: unknown[] = [id];
  const set = ['updated_at = now()'];
  for (const [column, value] of Object.entries(columns)) {
    if (value !== undefined) set.push(`${column} = $${params.push(value)}`);
  }
  return { set: set.join(', '), params };
}
