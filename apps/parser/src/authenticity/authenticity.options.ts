/** Injection token of the parser's AuthenticityOptions. */
export const AUTHENTICITY_OPTIONS = Symbol('AUTHENTICITY_OPTIONS');
