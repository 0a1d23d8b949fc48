import { Module } from '@nestjs/common';
import { DeviceActionConsumer } from './actions/device-action.consumer';

/** The junos-gateway service. */
@Module({ controllers: [DeviceActionConsumer] })
export class AppModule {}
