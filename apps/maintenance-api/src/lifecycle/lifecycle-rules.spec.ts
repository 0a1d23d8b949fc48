import { changeEventType, clockTransitions, compareVersion, effectiveStatus, phaseAfterReschedule } from './lifecycle-rules';

const S = 10_000;
const E = 20_000;
const LEAD = 900;
const m = (phase: 'scheduled' | 'starting-soon' | 'started' | 'ended', status: 'CONFIRMED' | 'CANCELLED' | 'RE-SCHEDULED' = 'CONFIRMED', replacedById?: string) => ({
  status,
  start: S,
  end: E,
  phase,
  replacedById,
});

describe('lifecycle rules', () => {
  it.each([
    ['far before the start: nothing', m('scheduled'), S - LEAD - 1, [], 'scheduled'],
    ['within the lead: starting-soon', m('scheduled'), S - LEAD, ['starting-soon'], 'starting-soon'],
    ['starting-soon already emitted: nothing until the start', m('starting-soon'), S - 1, [], 'starting-soon'],
    ['at the start: started', m('starting-soon'), S, ['started'], 'started'],
    ['missed the lead (down): started, no stale starting-soon', m('scheduled'), S + 5, ['started'], 'started'],
    ['missed the whole window (down): started then ended', m('scheduled'), E + 5, ['started', 'ended'], 'ended'],
    ['at the end: ended', m('started'), E, ['ended'], 'ended'],
    ['ended: nothing more', m('ended'), E + 100, [], 'ended'],
    ['cancelled: nothing', m('scheduled', 'CANCELLED'), S, [], 'scheduled'],
    ['replaced by a new id: nothing', m('scheduled', 'RE-SCHEDULED', 'x'), S, [], 'scheduled'],
    ['re-scheduled in place: follows its window', m('scheduled', 'RE-SCHEDULED'), S, ['started'], 'started'],
  ] as const)('clock - %s', (_name, maintenance, now, events, phase) => {
    expect(clockTransitions(maintenance, now, LEAD)).toEqual({ events, phase });
  });

  it.each([
    ['moved later beyond the lead: starting-soon fires again', 'starting-soon', { start: S + 3600, end: E + 3600 }, S - 100, 'scheduled'],
    ['moved a little, still within the lead: not twice', 'starting-soon', { start: S + 60, end: E }, S - 100, 'starting-soon'],
    ['under way and moved to the future: starts again later', 'started', { start: S + 3600, end: E + 3600 }, S + 10, 'scheduled'],
    ['under way and the new end passed: the clock ends it', 'started', { start: S - 100, end: S + 5 }, S + 10, 'started'],
    ['never started, moved into the past: quiet', 'scheduled', { start: 100, end: 200 }, S, 'ended'],
    ['ended, moved to now: starts again', 'ended', { start: S - 10, end: E }, S, 'scheduled'],
  ] as const)('reschedule - %s', (_name, current, window, now, phase) => {
    expect(phaseAfterReschedule(current, window, now, LEAD)).toBe(phase);
  });

  it('version - sequence first, then stamp; equal is not newer', () => {
    expect(compareVersion({ sequence: 2, stamp: 1 }, { sequence: 1, stamp: 9 })).toBe('newer');
    expect(compareVersion({ sequence: 1, stamp: 9 }, { sequence: 2, stamp: 1 })).toBe('older');
    expect(compareVersion({ sequence: 1, stamp: 2 }, { sequence: 1, stamp: 1 })).toBe('newer');
    expect(compareVersion({ sequence: 1, stamp: 1 }, { sequence: 1, stamp: 1 })).toBe('same');
  });

  it('status - a notice without status (NO-CHANGE) keeps the stored one', () => {
    expect(effectiveStatus('NO-CHANGE', 'TENTATIVE')).toBe('TENTATIVE');
    expect(effectiveStatus('NO-CHANGE', undefined)).toBe('CONFIRMED');
    expect(effectiveStatus('CANCELLED', 'TENTATIVE')).toBe('CANCELLED');
  });

  it('event type - cancelled over rescheduled over updated; a status transition needs no updated', () => {
    expect(changeEventType([{ field: 'status', old: 'CONFIRMED', new: 'CANCELLED' }, { field: 'start', old: 1, new: 2 }], [])).toBe('cancelled');
    expect(changeEventType([{ field: 'start', old: 1, new: 2 }, { field: 'summary', old: 'a', new: 'b' }], [])).toBe('rescheduled');
    expect(changeEventType([{ field: 'summary', old: 'a', new: 'b' }], [])).toBe('updated');
    expect(changeEventType([{ field: 'status', old: 'CONFIRMED', new: 'IN-PROCESS' }], ['started'])).toBeUndefined();
    expect(changeEventType([], [])).toBeUndefined();
  });
});
