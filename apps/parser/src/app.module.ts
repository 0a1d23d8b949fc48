import { Module } from '@nestjs/common';
import { ParsingModule } from './parsing/parsing.module';

/** The parser service: stateless, raw notices in, maintenances out. */
@Module({ imports: [ParsingModule] })
export class AppModule {}
