/** A binary that a local test service needs is not installed; the message names the Debian package. */
export class MissingServiceBinaryError extends Error {
  override readonly name = 'MissingServiceBinaryError';
  constructor(
    readonly binary: string,
    readonly debianPackage: string,
    options?: { cause?: unknown },
  ) {
    super(
      `${binary} not found: install the Debian package "${debianPackage}" ` +
        `(bash scripts/ensure-services.sh installs every test service)`,
      options,
    );
  }
}

/** A test service did not start or did not become ready in time; the message carries its log tail. */
export class ServiceStartError extends Error {
  override readonly name = 'ServiceStartError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** A fault operation (restart, kill) was asked of a service this process did not start. */
export class NotOwnedServiceError extends Error {
  override readonly name = 'NotOwnedServiceError';
  constructor(service: string, operation: string) {
    super(
      `${operation}() on the shared ${service} from the environment is refused: ` +
        `fault tests start a private one with own${service}()`,
    );
  }
}

/** A shared service URL (NATS_URL, DATABASE_URL) is needed but not set. */
export class SharedServiceUnsetError extends Error {
  override readonly name = 'SharedServiceUnsetError';
  constructor(variable: string) {
    super(
      `${variable} is not set: run the tests through Jest (its globalSetup starts the shared services) ` +
        `or set ${variable} to a running service`,
    );
  }
}
