import { Module } from '@nestjs/common';
import { SiteController } from './site.controller.js';

/** How the server is reached: HTTPS beside HTTP (see https.ts, tls-certificate.ts) and what the web app is told of it. */
@Module({ controllers: [SiteController] })
export class WebModule {}
