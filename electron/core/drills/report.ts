/**
 * A drill's report (issue: timeline and durations, what was done during the outage, the call-handling
 * figures against the same shift's normal ones, and the check that nothing was lost), read from the log.
 */
import type Database from 'better-sqlite3';
import { DRILL_MARKS, type DrillMark, type DrillReport } from '../../contract/drills.js';
import { computeFigures } from '../stats/figures.js';
import { callbacksInRange, callsInRange } from '../stats/queries.js';
import { eventHash, GENESIS_HASH } from '../store/chain.js';
import type { DrillSpan } from './projection.js';

/** Without an open shift before the drill, "normal" is the 12 hours before it. */
const NORMAL_WINDOW_MS = 12 * 3600_000;

const figuresOf = (db: Database.Database, range: { from: number; to: number }) =>
  computeFigures(range, callsInRange(db, range), callbacksInRange(db, range));

interface ChainRow {
  origin: string;
  seq: number;
  id: string;
  hlc: string;
  type: string;
  author: string;
  payloadJson: string;
  prevHash: string;
  hash: string;
}

/**
 * Every event of this position from the drill's start to its end is present (no gap in seq) and chains:
 * each one's hash is recomputed and its prev_hash is the hash of the one before (docs/architecture.md,
 * rule 2). The events between the two seqs are few; the whole log is `vigie verify`'s business.
 */
const checkSpan = (db: Database.Database, span: DrillSpan, lastSeq: number): DrillReport['integrity'] => {
  const rows = db
    .prepare(
      `SELECT origin, seq, id, hlc, type, author, payload AS payloadJson, prev_hash AS prevHash, hash
       FROM events WHERE origin = ? AND seq >= ? AND seq <= ? ORDER BY seq`,
    )
    .all(span.origin, span.startedSeq - 1, lastSeq) as ChainRow[]; // columns of store migration 0001
  const missing: number[] = [];
  const bySeq = new Map(rows.map((row) => [row.seq, row]));
  let previous = span.startedSeq === 1 ? GENESIS_HASH : bySeq.get(span.startedSeq - 1)?.hash;
  const broken: number[] = [];
  for (let seq = span.startedSeq; seq <= lastSeq; seq++) {
    const row = bySeq.get(seq);
    if (row === undefined) {
      missing.push(seq);
      previous = undefined;
      continue;
    }
    if ((previous !== undefined && row.prevHash !== previous) || eventHash(row.prevHash, row) !== row.hash) {
      broken.push(seq);
    }
    previous = row.hash;
  }
  const events = lastSeq - span.startedSeq + 1;
  const ok = missing.length === 0 && broken.length === 0;
  const detail = ok
    ? `${events} événements de l’exercice présents et chaînés`
    : [
        missing.length > 0 ? `${missing.length} événement(s) manquant(s) (n° ${missing.slice(0, 5).join(', ')})` : '',
        broken.length > 0 ? `chaîne rompue à l’événement n° ${broken[0]}` : '',
      ]
        .filter((part) => part !== '')
        .join(' ; ');
  return { ok, events, missing: missing.slice(0, 50), detail };
};

export const buildReport = (db: Database.Database, span: DrillSpan, now: number): DrillReport => {
  const { drill } = span;
  const t0 = drill.startedAt;
  const end = drill.endedAt ?? now;
  const durations = Object.fromEntries(
    DRILL_MARKS.map((mark) => {
      const at = drill.marks[mark];
      return [mark, at === undefined ? null : at - t0];
    }),
  ) as Record<DrillMark, number | null>; // every mark is a key, built from DRILL_MARKS
  const shift = db
    .prepare('SELECT opened_ms FROM shifts WHERE origin = ? AND opened_ms <= ? ORDER BY opened_ms DESC LIMIT 1')
    .get(span.origin, t0) as { opened_ms: number } | undefined; // logbook migration 0002
  const normalFrom = shift !== undefined && shift.opened_ms < t0 ? shift.opened_ms : t0 - NORMAL_WINDOW_MS;
  const lastSeq =
    span.endedSeq ??
    (db.prepare('SELECT MAX(seq) AS seq FROM events WHERE origin = ?').get(span.origin) as { seq: number }).seq;
  // What this position recorded between the drill's two events (its own seqs: no clock involved).
  const count = (where: string): number =>
    (
      db
        .prepare(`SELECT COUNT(*) AS n FROM events WHERE origin = ? AND seq BETWEEN ? AND ? AND ${where}`)
        .get(span.origin, span.startedSeq, lastSeq) as { n: number }
    ).n;
  const counts = {
    // Automatic entries (signed by the position in category technique) are the console's, not the room's.
    entries: count(
      `type = 'logbook.entry' AND NOT (json_extract(payload, '$.category') = 'technique' AND json_extract(payload, '$.position') = author)`,
    ),
    manualCalls: count(`type = 'call.manual'`),
    calls: (
      db.prepare('SELECT COUNT(*) AS n FROM calls WHERE offered_at BETWEEN ? AND ?').get(t0, end) as { n: number }
    ).n,
  };
  return {
    drill,
    durations,
    counts,
    figures: { drill: figuresOf(db, { from: t0, to: end + 1 }), before: figuresOf(db, { from: normalFrom, to: t0 }) },
    integrity: checkSpan(db, span, lastSeq),
  };
};
