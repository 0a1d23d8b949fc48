import { Module } from '@nestjs/common';
import { LifecycleConsumer } from './events/lifecycle.consumer';

/** The notifier service. */
@Module({ controllers: [LifecycleConsumer] })
export class AppModule {}
