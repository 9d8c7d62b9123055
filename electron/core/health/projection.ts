/**
 * The health projection (docs/architecture.md, "Modules"): a deterministic function of the events, kept in
 * the append transaction. `health_state` has one row per position (origin) and counts what was written
 * there during its current outage; `health_manual_calls` lists the calls taken on backup means.
 */
import type Database from 'better-sqlite3';
import type { HealthFault, HealthView, ManualCall } from '../../contract/health.js';
import type { Projection, StoredEvent } from '../store/types.js';
import { cachedStatement } from '../store/statements.js';
import {
  HEALTH_EVENTS,
  type AcknowledgedPayload,
  type DegradedPayload,
  type ManualCallPayload,
  type RecoveringPayload,
} from './events.js';
import type { HealthState } from './state.js';

// Casts in this file: better-sqlite3 types rows as unknown, and the row shapes below are those of
// migration 0001; event payloads were parsed with their type's schema (events.ts) by the store's append
// before any projection sees them, so each payload cast restates that schema's type.
interface StateRow {
  phase: 'nominal' | 'degraded' | 'recovering';
  since: number | null;
  faults: string;
  restored_at: number | null;
  acknowledged_at: number | null;
  acknowledged_by: string | null;
  entries: number;
  manual_calls: number;
}

const readRow = (db: Database.Database, origin: string): StateRow | undefined =>
  cachedStatement(db, 'SELECT * FROM health_state WHERE origin = ?').get(origin) as StateRow | undefined;

const inOutage = (row: StateRow | undefined): boolean => row !== undefined && row.phase !== 'nominal';

/**
 * An entry the health module wrote itself: signed by the position (not by a user) in category technique.
 * Those are not counted as « inscriptions pendant la coupure ».
 */
const isAutomaticEntry = (event: StoredEvent): boolean => {
  const payload = event.payload as { category?: unknown; position?: unknown };
  return payload.category === 'technique' && payload.position === event.author;
};

const upsert = (db: Database.Database, origin: string, row: StateRow): void => {
  cachedStatement(
    db,
    `INSERT INTO health_state (origin, phase, since, faults, restored_at, acknowledged_at, acknowledged_by, entries, manual_calls)
     VALUES (@origin, @phase, @since, @faults, @restored_at, @acknowledged_at, @acknowledged_by, @entries, @manual_calls)
     ON CONFLICT (origin) DO UPDATE SET phase = excluded.phase, since = excluded.since, faults = excluded.faults,
       restored_at = excluded.restored_at, acknowledged_at = excluded.acknowledged_at,
       acknowledged_by = excluded.acknowledged_by, entries = excluded.entries, manual_calls = excluded.manual_calls`,
  ).run({ origin, ...row });
};

/** How apply reads and writes a position's row: from the table, or (within one run) through a memory of it. */
interface Rows {
  read(origin: string): StateRow | undefined;
  write(origin: string, row: StateRow): void;
}

const tableRows = (db: Database.Database): Rows => ({
  read: (origin) => readRow(db, origin),
  write: (origin, row) => upsert(db, origin, row),
});

/** Within one run only this projection writes health_state: each position's row is read once. */
const runRows = (db: Database.Database): Rows => {
  const known = new Map<string, StateRow | undefined>();
  return {
    read(origin) {
      if (!known.has(origin)) known.set(origin, readRow(db, origin));
      return known.get(origin);
    },
    write(origin, row) {
      upsert(db, origin, row);
      known.set(origin, row);
    },
  };
};

const applyWith = (db: Database.Database, rows: Rows, event: StoredEvent): void => {
  const row = rows.read(event.origin);
  switch (event.type) {
    case HEALTH_EVENTS.degraded: {
      const p = event.payload as DegradedPayload;
      const sameOutage = inOutage(row) && row?.since === p.since;
      rows.write(event.origin, {
        phase: 'degraded',
        since: p.since,
        faults: JSON.stringify(p.faults),
        restored_at: null,
        // Something newly down must be seen again: a new fault asks for a new acknowledgement.
        acknowledged_at: p.added.length === 0 && sameOutage ? (row?.acknowledged_at ?? null) : null,
        acknowledged_by: p.added.length === 0 && sameOutage ? (row?.acknowledged_by ?? null) : null,
        entries: sameOutage ? (row?.entries ?? 0) : 0,
        manual_calls: sameOutage ? (row?.manual_calls ?? 0) : 0,
      });
      return;
    }
    case HEALTH_EVENTS.recovering: {
      if (row === undefined) return;
      const p = event.payload as RecoveringPayload;
      rows.write(event.origin, { ...row, phase: 'recovering', faults: '[]', restored_at: p.at });
      return;
    }
    case HEALTH_EVENTS.nominal: {
      if (row === undefined) return;
      rows.write(event.origin, { ...row, phase: 'nominal', since: null, faults: '[]', restored_at: null });
      return;
    }
    case HEALTH_EVENTS.acknowledged: {
      if (row === undefined || !inOutage(row)) return;
      const p = event.payload as AcknowledgedPayload;
      rows.write(event.origin, { ...row, acknowledged_at: p.at, acknowledged_by: p.by });
      return;
    }
    case HEALTH_EVENTS.manualCall: {
      const p = event.payload as ManualCallPayload;
      cachedStatement(
        db,
        `INSERT INTO health_manual_calls (id, event_id, origin, taken_at, line, caller_number, nature, notes, means,
           author, position, outage_since, recorded_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(
        p.id,
        event.id,
        event.origin,
        p.takenAt,
        p.line,
        p.callerNumber,
        p.nature,
        p.notes,
        p.means,
        event.author,
        p.position,
        p.outageSince,
        p.at,
      );
      if (row !== undefined && inOutage(row)) rows.write(event.origin, { ...row, manual_calls: row.manual_calls + 1 });
      return;
    }
    case 'logbook.entry':
      if (row !== undefined && inOutage(row) && !isAutomaticEntry(event))
        rows.write(event.origin, { ...row, entries: row.entries + 1 });
      return;
  }
};

export const healthProjection: Projection = {
  name: 'health',
  tables: ['health_state', 'health_manual_calls'],
  apply: (db, event) => applyWith(db, tableRows(db), event),
  begin: (db) => {
    const rows = runRows(db);
    return { apply: (event) => applyWith(db, rows, event) };
  },
  eventTypes: [...Object.values(HEALTH_EVENTS), 'logbook.entry'],
  // Each event changes only its own position's row (or adds a manual call under its own id), and apply
  // reads nothing else: the rows do not depend on how origins interleave (health migration 2).
  order: 'any',
};

// --- reads -----------------------------------------------------------------------------------------

/** The faults column holds what the health.degraded event carried, validated by its schema (cast: see top). */
const parseFaults = (text: string): HealthFault[] => JSON.parse(text) as HealthFault[];

export const readView = (db: Database.Database, origin: string): HealthView => {
  const row = readRow(db, origin);
  if (row === undefined || row.phase === 'nominal') {
    return {
      phase: 'nominal',
      since: null,
      faults: [],
      restoredAt: null,
      acknowledged: null,
      counts: { entries: 0, manualCalls: 0 },
    };
  }
  return {
    phase: row.phase,
    since: row.since,
    faults: parseFaults(row.faults),
    restoredAt: row.restored_at,
    acknowledged:
      row.acknowledged_at === null || row.acknowledged_by === null
        ? null
        : { by: row.acknowledged_by, at: row.acknowledged_at },
    counts: { entries: row.entries, manualCalls: row.manual_calls },
  };
};

/** The machine's state as the log left it: what the service starts from after a restart. */
export const readState = (db: Database.Database, origin: string): HealthState => {
  const row = readRow(db, origin);
  if (row === undefined || row.since === null || row.phase === 'nominal') return { phase: 'nominal' };
  if (row.phase === 'recovering')
    return { phase: 'recovering', since: row.since, restoredAt: row.restored_at ?? row.since };
  return { phase: 'degraded', since: row.since, faults: parseFaults(row.faults) };
};

/** The figures of the current outage, as counted by the projection. */
export const readCounts = (db: Database.Database, origin: string): { entries: number; manualCalls: number } => {
  const row = readRow(db, origin);
  return { entries: row?.entries ?? 0, manualCalls: row?.manual_calls ?? 0 };
};

interface ManualRow {
  id: string;
  taken_at: number;
  line: string;
  caller_number: string;
  nature: string;
  notes: string;
  means: ManualCall['means'];
  author: string;
  position: string;
  outage_since: number | null;
  recorded_at: number;
}

const toManualCall = (r: ManualRow): ManualCall => ({
  id: r.id,
  takenAt: r.taken_at,
  line: r.line,
  callerNumber: r.caller_number,
  nature: r.nature,
  notes: r.notes,
  means: r.means,
  author: r.author,
  position: r.position,
  outageSince: r.outage_since,
  recordedAt: r.recorded_at,
});

export const getManualCall = (db: Database.Database, id: string): ManualCall | undefined => {
  const row = db.prepare('SELECT * FROM health_manual_calls WHERE id = ?').get(id) as ManualRow | undefined;
  return row === undefined ? undefined : toManualCall(row);
};

export const listManualCalls = (db: Database.Database, limit: number): ManualCall[] =>
  (
    db.prepare('SELECT * FROM health_manual_calls ORDER BY taken_at DESC, id DESC LIMIT ?').all(limit) as ManualRow[]
  ).map(toManualCall);
