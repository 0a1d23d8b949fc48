import type { HealthChecks } from '@maintwatch/observability';
import type { ServiceDefinition } from '@maintwatch/runtime';
import { AppModule } from './app.module';
import { ingestConfig } from './config';
import { SourceHealthBoard } from './sources/source-health';
import { SOURCES_FILE } from './sources/source-runner.service';
import type { SourcesFile } from './sources/sources-file';

/** ingest as a service: publishes only, consumes nothing; /readyz has one check per source. */
export const ingestService: ServiceDefinition<typeof ingestConfig> = {
  name: 'ingest',
  config: ingestConfig,
  module: (config) => AppModule.forRoot(config),
  checks: (moduleRef): HealthChecks => {
    // The file is a plain value provider, there from the start; the board is looked up per probe.
    const file = moduleRef.get<SourcesFile>(SOURCES_FILE, { strict: false });
    return Object.fromEntries(
      file.sources.map((s) => [`source.${s.name}`, () => moduleRef.get(SourceHealthBoard, { strict: false }).get(s.name).check()]),
    );
  },
};
