/**
 * Finding a position that showed different histories to different peers (docs/architecture.md,
 * "Replication", witnesses). Every countersignature says « witness W holds the chain of X up to seq s ending
 * with hash h ». Two facts cannot both be true of one honest X: W's h differs from the hash this log holds
 * at (X, s), or two witnesses countersigned different hashes at (X, s). The rows come from trust_witness
 * (the projection of the countersignatures), compared with `events` itself.
 */
import type Database from 'better-sqlite3';

export interface Equivocation {
  /** The position whose two histories were seen. */
  subject: string;
  seq: number;
  /** The witness whose countersignature differs. */
  witness: string;
  witnessHash: string;
  /** The other history at (subject, seq): this log's event (other = null), or another witness's countersignature. */
  other: string | null;
  otherHash: string;
}

/** A part of one subject's chain to look at: seqs from..to (both included). */
export interface WitnessRange {
  subject: string;
  from: number;
  to: number;
}

const MAX_REPORTED = 100;

const select = (where: string): string => `
  SELECT w.subject, w.seq, w.witness, w.head_hash AS witnessHash, NULL AS other, e.hash AS otherHash
    FROM trust_witness w JOIN events e ON e.origin = w.subject AND e.seq = w.seq
    WHERE e.hash <> w.head_hash ${where.replaceAll('$', 'w')}
  UNION
  SELECT w.subject, w.seq, w.witness, w.head_hash, b.witness, b.head_hash
    FROM trust_witness w JOIN trust_witness b ON b.subject = w.subject AND b.seq = w.seq AND b.head_hash > w.head_hash
    WHERE 1 ${where.replaceAll('$', 'w')}
  ORDER BY 1, 2, 3, 4 LIMIT ${MAX_REPORTED}`;

const statements = new WeakMap<Database.Database, { all: Database.Statement; range: Database.Statement }>();

const prepared = (db: Database.Database) => {
  let s = statements.get(db);
  if (s === undefined) {
    s = {
      all: db.prepare(select('')),
      range: db.prepare(select('AND $.subject = @subject AND $.seq BETWEEN @from AND @to')),
    };
    statements.set(db, s);
  }
  return s;
};

/** false on a database whose trust schema predates countersignatures (an old backup read by verify). */
export const hasWitnessTable = (db: Database.Database): boolean =>
  db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'trust_witness'").get() !== undefined;

/**
 * Every equivocation the log shows (at most 100), or only those within `ranges` (after a batch: the seqs
 * just received of each origin, and the (subject, seq) of each countersignature just received).
 */
export const findEquivocations = (db: Database.Database, ranges?: readonly WitnessRange[]): Equivocation[] => {
  const s = prepared(db);
  if (ranges === undefined) return s.all.all() as Equivocation[]; // the columns are aliased to Equivocation's fields
  const found = new Map<string, Equivocation>();
  for (const r of ranges)
    for (const e of s.range.all(r) as Equivocation[])
      // aliased as above
      found.set(`${e.subject}/${e.seq}/${e.witness}/${e.other ?? ''}`, e);
  return [...found.values()];
};

/** One line for the technician: the core log, `vigie verify`, the status bar's detail. */
export const describeEquivocation = (e: Equivocation): string =>
  `ÉQUIVOQUE : le poste ${e.subject} montre des historiques différents — au seq ${e.seq}, le témoin ${e.witness} ` +
  `a contresigné ${e.witnessHash.slice(0, 16)}…, ${e.other === null ? 'ce journal porte' : `le témoin ${e.other} a contresigné`} ` +
  `${e.otherHash.slice(0, 16)}…`;
