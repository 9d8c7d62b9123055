/**
 * Gathering an out-of-order arrival before applying it (docs/architecture.md, "Replication"). A received
 * page that sorts before an event already projected makes the store replay every projection
 * ("Conflicts by construction"): a cost in the size of the log, not of the page. After an outage that is
 * the common case, and the other position is often still pushing when its first batch arrives here:
 * applying each page as it comes would replay the log once per page. So while such events keep arriving
 * they are read first, within a bound in count and in time, and the replay is paid once. A page that sorts
 * after everything (live entries) is applied at once, as before.
 */
import type Database from 'better-sqlite3';
import { compareOrder, lastInOrder } from '../store/replay.js';
import type { Cursor, PulledEvent } from './central/client.js';

export interface Page {
  events: PulledEvent[];
  cursor: Cursor;
}

export interface GatherLimits {
  /** Stop gathering at this many events (one SQLite transaction applies them all). */
  maxEvents: number;
  /** Never hold a page back longer than this. */
  maxMs: number;
  /** Apply once nothing more has arrived for this long. */
  quietMs: number;
}

export const GATHER_LIMITS: GatherLimits = { maxEvents: 20_000, maxMs: 1_500, quietMs: 150 };

/** Whether applying `events` now would replay the projections (one of them sorts before the last projected). */
export const sortsBeforeProjected = (db: Database.Database, events: readonly PulledEvent[]): boolean => {
  const last = lastInOrder(db);
  return last !== undefined && events.some((e) => compareOrder(e, last) < 0);
};

/** Reads on from `first` with `more` while events keep coming, within `limits`; `now` in ms. */
export const gather = async (
  first: Page,
  more: (cursor: Cursor, limit: number) => Promise<Page>,
  limits: GatherLimits,
  now: () => number,
): Promise<Page> => {
  const events = [...first.events];
  let cursor = first.cursor;
  const start = now();
  let lastArrival = start;
  const step = Math.max(5, Math.floor(limits.quietMs / 3));
  while (events.length < limits.maxEvents && now() - start < limits.maxMs) {
    const page = await more(cursor, limits.maxEvents - events.length);
    if (page.events.length > 0) {
      events.push(...page.events);
      cursor = page.cursor;
      lastArrival = now();
      continue;
    }
    if (now() - lastArrival >= limits.quietMs) break;
    await new Promise((resolve) => setTimeout(resolve, step));
  }
  return { events, cursor };
};
