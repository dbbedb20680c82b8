// Runs once before all test files (plain JavaScript: Jest loads global setup outside its ESM runtime).
// Decides where this run's databases live; test/setup/test-database.ts starts the embedded server and
// creates the migrated template on first use. Variables set here reach every test file.
import { resolve } from 'node:path';

export default function globalSetup() {
  process.env.TONGKE_TEST_TEMPLATE = `tongke_tpl_${process.pid}`;
  if (!process.env.DATABASE_URL) {
    process.env.TONGKE_TEST_EMBEDDED_DIR = resolve(import.meta.dirname, '..', '.tmp', 'pg');
    process.env.TONGKE_TEST_EMBEDDED_PORT ??= '54339';
  }
}
