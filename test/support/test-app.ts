import type { NestExpressApplication } from '@nestjs/platform-express';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { createApp } from '../../src/app.factory.js';
import { PasswordHasher } from '../../src/auth/password.hasher.js';
import { loadConfig } from '../../src/config/app.config.js';
import { createLogger, type AppLogger } from '../../src/common/logger.js';
import type { Role } from '../../src/contracts/api.js';
import { createTestDatabase } from '../setup/test-database.js';
import { httpsServerFor } from '../../src/web/tls-certificate.js';
import type { Server as HttpsServer } from 'node:https';

export const PASSWORD = 'correct-horse-42';

export interface TestUser {
  id: number;
  email: string;
  role: Role;
  schoolId: number | null;
  token: string;
}

/**
 * The real application (every module, the real database, real files on disk) on a fresh database and a
 * fresh data folder; only the environment differs from production.
 */
export class TestApp {
  private constructor(
    readonly app: NestExpressApplication,
    readonly dataSource: DataSource,
    readonly dataDir: string,
    private readonly dropDatabase: () => Promise<void>,
    /** The HTTPS server beside the HTTP one (as `npm start` serves), when asked for; not listening yet. */
    readonly https?: HttpsServer,
    readonly databaseUrl = '',
  ) {}

  /**
   * With `HTTPS_PORT` in `env`, the app is also served over HTTPS as in production, with the self-signed
   * certificate it generates into its data folder; the caller listens on both servers.
   */
  static async create(env: Record<string, string> = {}, opts: { logger?: AppLogger; sharing?: TestApp } = {}): Promise<TestApp> {
    // `sharing`: a second node of the same install, on the other's database (which that one drops when it closes).
    const db = opts.sharing ? { url: opts.sharing.databaseUrl, drop: () => Promise.resolve() } : await createTestDatabase();
    const dataDir = mkdtempSync(join(tmpdir(), 'tongke-test-'));
    const config = loadConfig({
      NODE_ENV: 'test',
      DATA_DIR: dataDir,
      JWT_SECRET: 'test-secret-that-is-long-enough-0123456789',
      LOG_LEVEL: 'silent',
      SERVE_CLIENT: 'false',
      HTTPS_PORT: '0',
      // Suites send many requests from one address; the limit stays on (it is counted) but out of their way.
      HTTP_RATE_LIMIT: '100000',
      // Suites must not depend on how full the test machine's disk is (test/security/upload-space covers the floor).
      UPLOAD_MIN_FREE_MB: '0',
      ...env,
    });
    const logger = opts.logger ?? createLogger(config.LOG_LEVEL);
    const https = (await httpsServerFor(config, logger))?.server;
    const app = await createApp(config, db.url, logger, https);
    await app.init();
    return new TestApp(app, app.get(DataSource), dataDir, db.drop, https, db.url);
  }

  get http() {
    return request(this.app.getHttpServer());
  }

  async close(): Promise<void> {
    this.https?.closeAllConnections();
    if (this.https?.listening) await new Promise((r) => this.https!.close(r));
    await this.app.close();
    await this.dropDatabase();
    rmSync(this.dataDir, { recursive: true, force: true });
  }

  private hash?: Promise<string>;

  /** Inserts an account directly (one shared argon2 hash keeps fixtures fast) and logs it in via the API. */
  async user(role: Role, opts: { schoolId?: number | null; email?: string; name?: string } = {}): Promise<TestUser> {
    this.hash ??= new PasswordHasher().hash(PASSWORD);
    const email = opts.email ?? `${role}-${Math.random().toString(36).slice(2, 10)}@test.tongke.cn`;
    const [{ id }] = (await this.dataSource.query(
      `INSERT INTO app_user (email, password_hash, display_name, role, school_id) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
      [email, await this.hash, opts.name ?? `${role} ${email.slice(0, 6)}`, role, opts.schoolId ?? null],
    )) as { id: number }[];
    const res = await this.http.post('/api/auth/login').send({ email, password: PASSWORD }).expect(200);
    return { id, email, role, schoolId: opts.schoolId ?? null, token: (res.body as { accessToken: string }).accessToken };
  }

  async school(name = `学校${Math.random().toString(36).slice(2, 7)}`, kind: 'urban' | 'rural' = 'urban'): Promise<number> {
    const [{ id }] = (await this.dataSource.query(
      `INSERT INTO school (name, kind, province, city, county) VALUES ($1, $2, '甘肃省', '定西市', '渭源县') RETURNING id`,
      [name, kind],
    )) as { id: number }[];
    return id;
  }

  /** A course through the API, as its teacher would create it. */
  async course(teacher: TestUser, fields: Partial<{ title: string; description: string; subjectId: number; gradeId: number; status: string }> = {}) {
    const res = await this.http
      .post('/api/courses')
      .auth(teacher.token, { type: 'bearer' })
      .send({ title: '分数的初步认识', subjectId: 2, gradeId: 3, status: 'published', ...fields })
      .expect(201);
    return res.body as { id: number; title: string };
  }
}
