/** The routing file (or the destinations from the environment) is invalid; `problems` lists every one. */
export class RoutingConfigError extends Error {
  override name = 'RoutingConfigError';
  constructor(
    readonly problems: { path: string; message: string }[],
    options?: { cause?: unknown },
  ) {
    super(`invalid routing configuration:\n${problems.map((p) => `  ${p.path || '(file)'}: ${p.message}`).join('\n')}`, options);
  }
}

/**
 * Looking up a possibly posted message (Slack conversations.history) failed: `permanent` when
 * asking again cannot help (a missing scope, the bot not in the channel), else try again later.
 */
export class LookupError extends Error {
  override name = 'LookupError';
  readonly permanent: boolean;
  constructor(message: string, options?: { cause?: unknown; permanent?: boolean }) {
    super(message, options);
    this.permanent = options?.permanent ?? false;
  }
}

/** The delivery store (the notifier-deliveries KV bucket) did not answer or refused a write. */
export class DeliveryStoreError extends Error {
  override name = 'DeliveryStoreError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** Another instance changed a delivery record first: this one leaves the delivery to it. */
export class DeliveryTakenError extends Error {
  override name = 'DeliveryTakenError';
  constructor(key: string, options?: { cause?: unknown }) {
    super(`delivery ${key} was changed by another notifier instance`, options);
  }
}
