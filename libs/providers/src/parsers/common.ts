import { mailDateToEpoch } from '../core/zones';
import type { Parser } from '../core/types';

/** The mail's Date header as the notice stamp (circuit-maintenance-parser's EmailDateParser). */
export const emailDateParser: Parser = {
  name: 'email-date',
  dataTypes: ['email-header-date'],
  parse: (part) => [{ stamp: mailDateToEpoch(String(part.content)) }],
};

/** The mail's subject as the summary (circuit-maintenance-parser's generic SubjectParser). */
export const emailSubjectSummaryParser: Parser = {
  name: 'email-subject-summary',
  dataTypes: ['email-header-subject'],
  parse: (part) => [{ summary: String(part.content).trim() }],
};
