/** A page cursor that this API did not hand out (or for another sort order). */
export class InvalidCursorError extends Error {
  override name = 'InvalidCursorError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
