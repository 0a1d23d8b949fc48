export { Bus, isNotFound, type BusOptions, type PublishOptions, type ConsumerStart } from './bus';
export { Namespace } from './namespace';
export { TransientError, PermanentError, PublishError, PayloadError } from './errors';
export {
  startConsumer,
  defaultDecoder,
  type ConsumerSpec,
  type MessageContext,
  type Handler,
  type Dispatch,
  type Decoder,
  type Outcome,
  type ConsumerHooks,
  type RunningConsumer,
} from './consumer';
export {
  JetStreamTransport,
  JetStreamContext,
  JetStreamExceptionFilter,
  subjectMatches,
  type JetStreamTransportOptions,
} from './nest/jetstream.transport';
export { MessagingModule, BusLifecycle, connectJetStream, BUS_OPTIONS } from './nest/messaging.module';
