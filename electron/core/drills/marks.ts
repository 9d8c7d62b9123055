/**
 * Which timeline mark an event of the log shows (electron/contract/drills.ts): pure, so the reactor and the
 * test that recomputes a report from the events agree by construction.
 */
import type { DrillMark } from '../../contract/drills.js';
import { parseHlc } from '../store/hlc.js';
import type { StoredEvent } from '../store/types.js';

/** An entry the health module wrote itself (signed by the position, category technique) is not manual. */
const isAutomaticEntry = (event: StoredEvent): boolean => {
  const payload = event.payload as { category?: unknown; position?: unknown }; // parsed by the store's append
  return payload.category === 'technique' && payload.position === event.author;
};

export const MARK_SOURCES = [
  'health.degraded',
  'health.acknowledged',
  'health.recovering',
  'health.nominal',
  'call.manual',
  'logbook.entry',
] as const;

/** The marks this event reaches, given those already reached (a mark is only taken once). */
export const marksOf = (event: StoredEvent, reached: ReadonlySet<DrillMark>): DrillMark[] => {
  const wanted: DrillMark[] = [];
  switch (event.type) {
    case 'health.degraded':
      wanted.push('detect');
      break;
    case 'health.acknowledged':
      wanted.push('ack');
      break;
    case 'call.manual':
      wanted.push('firstManual');
      break;
    case 'logbook.entry':
      if (!isAutomaticEntry(event)) wanted.push('firstManual');
      break;
    case 'health.recovering':
      wanted.push('restore');
      break;
    case 'health.nominal':
      // Straight from DEGRADED to NOMINAL (every fault cleared at once): restored and recovered together.
      wanted.push('restore', 'recovered');
      break;
  }
  // Detection comes before anything else counts: an entry written before the fault was seen is not a
  // reaction to it.
  if (!reached.has('detect') && !wanted.includes('detect')) return [];
  return wanted.filter((mark) => !reached.has(mark));
};

/** The time an event happened: its payload's `at` when it has one, else the physical part of its HLC. */
export const eventTime = (event: StoredEvent): number => {
  const payload = event.payload as { at?: unknown }; // parsed by the store's append
  if (typeof payload.at === 'number') return payload.at;
  return parseHlc(event.hlc)?.l ?? 0;
};
