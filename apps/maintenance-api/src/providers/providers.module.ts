import { Global, Module } from '@nestjs/common';
import { ProviderDirectory } from './provider-directory';
import { ProviderTableService } from './provider-table.service';

/** The provider table: seeded from the registry, published to the `providers` KV bucket (global). */
@Global()
@Module({ providers: [ProviderDirectory, ProviderTableService], exports: [ProviderDirectory, ProviderTableService] })
export class ProvidersModule {}
