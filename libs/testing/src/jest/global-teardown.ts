import { stopSharedServices } from '../shared-services';

/** Jest globalTeardown: stops what globalSetup started. */
export default async function globalTeardown(): Promise<void> {
  await stopSharedServices();
}
