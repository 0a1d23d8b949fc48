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

/**
 * "Label: value" split at the first colon when the text before it (without trailing blanks)
 * is a label of this shape; undefined otherwise. Replaces regexes like
 * /^([A-Za-z][A-Za-z ]*?)\s*:\s*(.*)$/, whose lazy label and "\s*" on both sides backtrack
 * quadratically over a long run of blanks (seconds for 100 KB).
 */
export function splitLabel(line: string, label: RegExp): { label: string; value: string } | undefined {
  const colon = line.indexOf(':');
  if (colon < 0) return undefined;
  const name = line.slice(0, colon).trimEnd();
  if (!label.test(name)) return undefined;
  return { label: name, value: line.slice(colon + 1).trim() };
}
