import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Public } from '../auth/decorators.js';
import { AppConfig } from '../config/app.config.js';
import type { SiteInfoDto } from '../contracts/api.js';

@ApiTags('operations')
@Controller('api/site')
export class SiteController {
  constructor(private readonly config: AppConfig) {}

  /** Where the web app is a secure context for other machines: a page opened over plain HTTP links there. */
  @Get()
  @Public()
  info(): SiteInfoDto {
    return { httpsPort: this.config.HTTPS_PORT || null };
  }
}
