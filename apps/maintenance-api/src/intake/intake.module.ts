import { Module, type DynamicModule } from '@nestjs/common';
import { ApplyParsedUseCase } from './apply-parsed.use-case';
import { DrainStateConsumer } from './drain-state.consumer';
import { IntakeConsumer } from './intake.consumer';
import { INTAKE_OPTIONS, type IntakeOptions } from './intake.options';
import { RecordNoticeUseCase } from './record-notice.use-case';

/** Notices and parser output in: raw notices, parsed / unparsed / ignored records, maintenances; the gateway's drain steps. */
@Module({})
export class IntakeModule {
  static forRoot(options: IntakeOptions): DynamicModule {
    return {
      module: IntakeModule,
      controllers: [IntakeConsumer, DrainStateConsumer],
      providers: [{ provide: INTAKE_OPTIONS, useValue: options }, ApplyParsedUseCase, RecordNoticeUseCase],
      exports: [ApplyParsedUseCase, RecordNoticeUseCase],
    };
  }
}
