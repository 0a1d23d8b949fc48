/** The message was recorded before (a redelivery): its transaction is rolled back and nothing changes. */
export class AlreadyRecordedError extends Error {
  override name = 'AlreadyRecordedError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
