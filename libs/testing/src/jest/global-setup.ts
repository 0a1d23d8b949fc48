import { startSharedServices } from '../shared-services';

/** Jest globalSetup: one shared NATS and PostgreSQL for the run, unless NATS_URL / DATABASE_URL are set. */
export default async function globalSetup(): Promise<void> {
  await startSharedServices();
}
