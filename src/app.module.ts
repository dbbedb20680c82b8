import { DynamicModule, Module } from '@nestjs/common';
import { ServeStaticModule } from '@nestjs/serve-static';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LoggerModule } from 'nestjs-pino';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { AuthModule } from './auth/auth.module.js';
import { CatalogueModule } from './catalogue/catalogue.module.js';
import { AppConfig } from './config/app.config.js';
import { httpLogOptions, type AppLogger } from './common/logger.js';
import { ConfigModule } from './config/config.module.js';
import { dataSourceOptions } from './database/data-source.js';
import { HealthModule } from './health/health.module.js';
import { HttpRateLimitModule } from './common/http-rate-limit.js';
import { ResourcesModule } from './resources/resources.module.js';
import { SchedulingModule } from './scheduling/scheduling.module.js';
import { TransactionsModule } from './database/transactions.js';
import { ClockModule } from './common/clock.js';
import { RedisModule } from './web/redis-adapter.js';
import { LiveModule } from './live/live.module.js';
import { RecordingsModule } from './recordings/recordings.module.js';
import { SchoolsModule } from './schools/schools.module.js';
import { WebModule } from './web/web.module.js';
import { setClientCacheHeaders } from './web/static-assets.js';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig, databaseUrl: string, logger: AppLogger): DynamicModule {
    const clientDir = resolve(config.CLIENT_DIR);
    const serveClient = config.SERVE_CLIENT && existsSync(join(clientDir, 'index.html'));
    return {
      module: AppModule,
      imports: [
        // First, so that its request logging is the first of the application's middleware.
        LoggerModule.forRoot({ pinoHttp: httpLogOptions(logger) }),
        ConfigModule.forRoot(config),
        TypeOrmModule.forRoot(dataSourceOptions(databaseUrl, config.DB_POOL_SIZE)),
        TransactionsModule,
        ClockModule,
        RedisModule.forRoot(config.REDIS_URL, databaseUrl, logger),
        ...(serveClient
          ? [
              ServeStaticModule.forRoot({
                rootPath: clientDir,
                exclude: ['/api/{*path}', '/health'],
                serveStaticOptions: { index: 'index.html', cacheControl: false, setHeaders: setClientCacheHeaders },
              }),
            ]
          : []),
        // Before AuthModule: its guard then runs after the rate limit, so unauthenticated floods are counted too.
        HttpRateLimitModule,
        AuthModule,
        SchoolsModule,
        CatalogueModule,
        ResourcesModule,
        SchedulingModule,
        LiveModule,
        RecordingsModule,
        HealthModule,
        WebModule,
      ],
    };
  }
}
