export { serviceEnv, type ServiceEnv } from './config';
export { runService, type ServiceDefinition } from './service';
