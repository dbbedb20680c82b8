import { MIGRATIONS, runMigrations } from '../src/database/data-source.js';
import { createEmptyDatabase } from './setup/test-database.js';

/** #13: nodes that start together migrate one after the other, never the same migration at once. */
describe('migrations, from several nodes at once', () => {
  it('are applied once: one node migrates, the others find the schema up to date', async () => {
    const db = await createEmptyDatabase();
    try {
      const runs = await Promise.all([runMigrations(db.url), runMigrations(db.url), runMigrations(db.url)]);
      expect(runs.map((applied) => applied.length).sort()).toEqual([0, 0, MIGRATIONS.length]);
      expect(await runMigrations(db.url)).toEqual([]);
    } finally {
      await db.drop();
    }
  });
});
