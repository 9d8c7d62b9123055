/**
 * The drills projection: one row per drill and one per mark reached, a deterministic function of the
 * drill.* events, kept in the append transaction (docs/architecture.md, "Path of an event").
 */
import type Database from 'better-sqlite3';
import { DRILL_MARKS, type Drill, type DrillMark } from '../../contract/drills.js';
import type { Projection, StoredEvent } from '../store/types.js';
import { cachedStatement } from '../store/statements.js';
import { DRILL_EVENTS, type EndedPayload, type MarkedPayload, type StartedPayload } from './events.js';

// Casts in this file: better-sqlite3 types rows as unknown (the shapes are those of migration 0001), and
// payloads were parsed with their type's schema (events.ts) by the store's append before any projection.
interface DrillRow {
  id: string;
  scenario: Drill['scenario'];
  mode: Drill['mode'];
  started_at: number;
  started_by: string;
  started_seq: number;
  ended_at: number | null;
  ended_by: string | null;
  ended_seq: number | null;
  origin: string;
}

const apply = (db: Database.Database, event: StoredEvent): void => {
  switch (event.type) {
    case DRILL_EVENTS.started: {
      const p = event.payload as StartedPayload;
      cachedStatement(
        db,
        `INSERT OR IGNORE INTO drills (id, origin, scenario, mode, started_at, started_by, started_seq)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      ).run(p.drillId, event.origin, p.scenario, p.mode, p.at, event.author, event.seq);
      cachedStatement(
        db,
        'INSERT OR IGNORE INTO drill_marks (drill_id, mark, at, event_id) VALUES (?, ?, ?, NULL)',
      ).run(p.drillId, 't0', p.at);
      return;
    }
    case DRILL_EVENTS.marked: {
      const p = event.payload as MarkedPayload;
      // The first time a mark is reached is the one that counts.
      cachedStatement(db, 'INSERT OR IGNORE INTO drill_marks (drill_id, mark, at, event_id) VALUES (?, ?, ?, ?)').run(
        p.drillId,
        p.mark,
        p.at,
        p.eventId,
      );
      return;
    }
    case DRILL_EVENTS.ended: {
      const p = event.payload as EndedPayload;
      cachedStatement(
        db,
        'UPDATE drills SET ended_at = ?, ended_by = ?, ended_seq = ? WHERE id = ? AND ended_at IS NULL',
      ).run(p.at, event.author, event.seq, p.drillId);
      return;
    }
  }
};

export const drillsProjection: Projection = {
  name: 'drills',
  tables: ['drill_marks', 'drills'],
  apply,
  eventTypes: Object.values(DRILL_EVENTS),
};

// --- reads -----------------------------------------------------------------------------------------

const toDrill = (db: Database.Database, row: DrillRow): Drill => {
  const marks: Partial<Record<DrillMark, number>> = {};
  const rows = db.prepare('SELECT mark, at FROM drill_marks WHERE drill_id = ?').all(row.id) as {
    mark: DrillMark;
    at: number;
  }[];
  for (const mark of rows) if ((DRILL_MARKS as readonly string[]).includes(mark.mark)) marks[mark.mark] = mark.at;
  return {
    id: row.id,
    scenario: row.scenario,
    mode: row.mode,
    startedAt: row.started_at,
    startedBy: row.started_by,
    endedAt: row.ended_at,
    endedBy: row.ended_by,
    // What the console cut is its running state, not the log's: the service says (drills/service.ts).
    cutActive: false,
    marks,
  };
};

export interface DrillSpan {
  drill: Drill;
  origin: string;
  startedSeq: number;
  endedSeq: number | null;
}

export const getDrill = (db: Database.Database, id: string): DrillSpan | undefined => {
  const row = db.prepare('SELECT * FROM drills WHERE id = ?').get(id) as DrillRow | undefined;
  if (row === undefined) return undefined;
  return { drill: toDrill(db, row), origin: row.origin, startedSeq: row.started_seq, endedSeq: row.ended_seq };
};

/** The drill running at this position, if any (one at a time). */
export const currentDrill = (db: Database.Database, origin: string): Drill | null => {
  const row = db
    .prepare('SELECT * FROM drills WHERE origin = ? AND ended_at IS NULL ORDER BY started_at DESC LIMIT 1')
    .get(origin) as DrillRow | undefined;
  return row === undefined ? null : toDrill(db, row);
};

export const listDrills = (db: Database.Database, limit: number): Drill[] =>
  (db.prepare('SELECT * FROM drills ORDER BY started_at DESC LIMIT ?').all(limit) as DrillRow[]).map((row) =>
    toDrill(db, row),
  );
