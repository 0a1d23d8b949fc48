import { ParserError } from '../core/errors';
import type { Parser } from '../core/types';

// TODO(ical): BCOP maintnote iCalendar, fully (libs/providers README, specs/maintnote-bcop.md).

/** BCOP maintnote iCalendar: one maintenance per VEVENT. */
export const icalParser: Parser = {
  name: 'ical-bcop',
  dataTypes: ['ical'],
  parse: () => {
    throw new ParserError('ical parser not written yet');
  },
};
