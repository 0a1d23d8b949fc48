import { PermanentError, TransientError } from '@maintwatch/messaging';
import { isTransientStoreError, translateError } from '@maintwatch/persistence';

/**
 * Runs a consumer's work and gives its error the class the transport decides by: PostgreSQL
 * away or contended -> TransientError (nak with a delay), anything else -> PermanentError
 * (dead letter with the reason).
 */
export async function outcome(work: () => Promise<unknown>): Promise<void> {
  try {
    await work();
  } catch (err) {
    if (err instanceof TransientError || err instanceof PermanentError) throw err;
    const message = (err as Error)?.message ?? String(err);
    // Translated again here: a driver error that reached the use case untranslated (wrapped, or
    // from a path outside the store's transaction) must still read as "PostgreSQL away", which
    // is retried, and never as permanent, which dead-letters the message.
    if (isTransientStoreError(translateError(err))) throw new TransientError(message, { cause: err });
    throw new PermanentError(message, { cause: err });
  }
}
