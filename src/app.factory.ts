import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { AppModule } from './app.module.js';
import type { AppConfig } from './config/app.config.js';
import { HttpExceptionFilter } from './common/http-exception.filter.js';
import { Logger } from 'nestjs-pino';
import { requestId, type AppLogger } from './common/logger.js';
import { createValidationPipe } from './common/validation.js';
import { httpsRedirect, LiveIoAdapter } from './web/https.js';
import { REDIS_LINK, type RedisLink } from './web/redis-adapter.js';
import type { Server as HttpsServer } from 'node:https';
import type { Server as HttpServer } from 'node:http';
import { resolve } from 'node:path';
import { precompressedAssets } from './web/static-assets.js';
import { opsAccess } from './web/ops-access.js';
import { securityHeaders } from './web/security-headers.js';
import { Authenticator } from './auth/authenticator.js';

/**
 * The HTTP application as it runs in production; tests build it through here too. With `https`, the same
 * application (pages, API and the live socket) is served on that server as well, and plain-HTTP page requests
 * from other machines are sent to it (the caller listens on it, on HTTPS_PORT).
 */
export async function createApp(config: AppConfig, databaseUrl: string, logger: AppLogger, https?: HttpsServer): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, databaseUrl, logger), {
    bufferLogs: true,
    bodyParser: false,
  });
  // Nest's own messages (bootstrap, routes, errors, the services' Logger) through the same JSON logger.
  app.useLogger(app.get(Logger));
  app.set('trust proxy', config.TRUST_PROXY.split(',').map((s) => s.trim()));
  // Node cuts any request still arriving after 300 s (requestTimeout): that would cut a large upload on a slow
  // link. Instead a connection is closed only when it stalls; headers must still come within headersTimeout.
  for (const server of [app.getHttpServer() as HttpServer, https].filter((s): s is HttpServer | HttpsServer => Boolean(s))) {
    server.requestTimeout = 0;
    server.setTimeout(config.STALL_TIMEOUT_SECONDS * 1000);
  }
  if (https) https.on('request', app.getHttpAdapter().getInstance());
  // Several nodes (REDIS_URL): the live socket's broadcasts go through Redis to every node's sockets.
  const redis = app.get<RedisLink | null>(REDIS_LINK);
  if (https || redis) app.useWebSocketAdapter(new LiveIoAdapter(app, { https, adapter: redis?.adapter }));
  app.use(requestId());
  // A certificate browsers trust: the school's own, or the reverse proxy's (HTTPS_PORT=0 behind it).
  app.use(securityHeaders({ hsts: Boolean(config.TLS_CERT_FILE) || config.HTTPS_PORT === 0 }));
  if (https) app.use(httpsRedirect(config.HTTPS_PORT));
  if (config.SERVE_CLIENT) app.use(precompressedAssets(resolve(config.CLIENT_DIR)));
  // JSON bodies are small; files go through the streaming multipart receiver instead.
  app.useBodyParser('json', { limit: '256kb' });
  app.disable('x-powered-by');
  app.use(['/metrics', '/api/docs', '/api/docs-json'], opsAccess(config, app.get(Authenticator)));
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new HttpExceptionFilter(logger));

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Tongke 同课 API')
      .setDescription('Synchronized remote classrooms: accounts, schools, course catalogue and teaching resources')
      .setVersion('0.1.0')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json' });
  return app;
}
