import { Logger, Module, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { join } from 'node:path';
import { AppConfig } from '../config/app.config.js';
import { CatalogueModule } from '../catalogue/catalogue.module.js';
import { ResourceRepository } from './resource.repository.js';
import { ResourcesController } from './resources.controller.js';
import { ResourcesService, UPLOAD_MAX_BYTES } from './resources.service.js';
import { BlobStore } from './storage/blob-store.js';
import { UploadSpace } from './upload-space.js';
import { BlobCollector } from './blob-collector.js';

@Module({
  imports: [CatalogueModule],
  controllers: [ResourcesController],
  providers: [
    ResourceRepository,
    ResourcesService,
    UploadSpace,
    BlobCollector,
    { provide: BlobStore, inject: [AppConfig], useFactory: (config: AppConfig) => new BlobStore(join(config.DATA_DIR, 'files')) },
    { provide: UPLOAD_MAX_BYTES, inject: [AppConfig], useFactory: (config: AppConfig) => config.UPLOAD_MAX_BYTES },
  ],
})
export class ResourcesModule implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('Resources');
  private sweeper?: NodeJS.Timeout;

  constructor(
    private readonly store: BlobStore,
    private readonly collector: BlobCollector,
  ) {}

  async onModuleInit(): Promise<void> {
    const removed = await this.store.init();
    if (removed) this.logger.log(`removed ${removed} unfinished upload(s) left by an earlier run`);
    // And hourly, for what a crash leaves while the server keeps running on another node; with the files that
    // no resource version or cover refers to any more.
    this.sweeper = setInterval(() => void this.hourly().catch((e: Error) => this.logger.warn(`storage sweep failed: ${e.message}`)), 3_600_000);
    this.sweeper.unref();
  }

  private async hourly(): Promise<void> {
    await this.store.sweepTemps();
    const collected = await this.collector.collect();
    if (collected) this.logger.log(`removed ${collected} stored file(s) nothing refers to any more`);
  }

  onModuleDestroy(): void {
    clearInterval(this.sweeper);
  }
}
