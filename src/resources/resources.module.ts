import { Module, OnModuleInit } from '@nestjs/common';
import { join } from 'node:path';
import { AppConfig } from '../config/app.config.js';
import { CatalogueModule } from '../catalogue/catalogue.module.js';
import { ResourceRepository } from './resource.repository.js';
import { ResourcesController } from './resources.controller.js';
import { ResourcesService, UPLOAD_MAX_BYTES } from './resources.service.js';
import { BlobStore } from './storage/blob-store.js';

@Module({
  imports: [CatalogueModule],
  controllers: [ResourcesController],
  providers: [
    ResourceRepository,
    ResourcesService,
    { provide: BlobStore, inject: [AppConfig], useFactory: (config: AppConfig) => new BlobStore(join(config.DATA_DIR, 'files')) },
    { provide: UPLOAD_MAX_BYTES, inject: [AppConfig], useFactory: (config: AppConfig) => config.UPLOAD_MAX_BYTES },
  ],
  exports: [BlobStore, ResourceRepository],
})
export class ResourcesModule implements OnModuleInit {
  constructor(private readonly store: BlobStore) {}

  async onModuleInit(): Promise<void> {
    await this.store.init();
  }
}
