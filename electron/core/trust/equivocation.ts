/**
 * Finding a position that showed different histories to different peers (docs/architecture.md,
 * "Replication", witnesses). Every countersignature says « witness W holds the chain of X up to seq s ending
 * with hash h ». Two facts cannot both be true of one honest X: W's h differs from the hash this log holds
 * at (X, s), or two witnesses countersigned different hashes at (X, s). The rows come from trust_witness
 * (the projection of the countersignatures), compared with `events` itself.
 */
import type Database from 'better-sqlite3';
import type { CheckpointReason } from './events.js';
import { checkpointStatement, verifyBytes } from './signatures.js';

/**
 * Whether the subject itself signed the checkpoint a witness quotes: 'signed' (with one of its registered
 * keys), 'forged' (the witness quotes a checkpoint the subject never signed: the witness lies, not the
 * subject), 'unverified' (this log holds no key of the subject yet).
 */
export type Proof = 'signed' | 'forged' | 'unverified';

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
  witnessProof: Proof;
  /** null when the other history is this log's own event. */
  otherProof: Proof | null;
}

/** A row as the query gives it: the witnesses' quotes of the subject's checkpoint, not yet checked. */
interface Row extends Omit<Equivocation, 'witnessProof' | 'otherProof'> {
  w: string;
  b: string | null;
}

/** A part of one subject's chain to look at: seqs from..to (both included). */
export interface WitnessRange {
  subject: string;
  from: number;
  to: number;
}

const MAX_REPORTED = 100;

/** A witness row's quote of the subject's checkpoint, as one JSON text (to be checked in JS). */
const quote = (t: string): string =>
  `json_object('time', ${t}.checkpoint_time, 'keyId', ${t}.checkpoint_key_id, 'reason', ${t}.checkpoint_reason,
     'merkleRoot', ${t}.checkpoint_merkle_root, 'signature', ${t}.checkpoint_signature)`;

const select = (where: string): string => `
  SELECT w.subject, w.seq, w.witness, w.head_hash AS witnessHash, NULL AS other, e.hash AS otherHash,
         ${quote('w')} AS w, NULL AS b
    FROM trust_witness w JOIN events e ON e.origin = w.subject AND e.seq = w.seq
    WHERE e.hash <> w.head_hash ${where}
  UNION
  SELECT w.subject, w.seq, w.witness, w.head_hash, b.witness, b.head_hash, ${quote('w')}, ${quote('b')}
    FROM trust_witness w JOIN trust_witness b ON b.subject = w.subject AND b.seq = w.seq AND b.head_hash > w.head_hash
    WHERE 1 ${where}
  ORDER BY 1, 2, 3, 4 LIMIT ${MAX_REPORTED}`;

interface Quote {
  time: string;
  keyId: string;
  reason: CheckpointReason;
  merkleRoot: string | null;
  signature: string;
}

const proofOf = (db: Database.Database, subject: string, seq: number, headHash: string, text: string): Proof => {
  const q = JSON.parse(text) as Quote; // json_object above, over columns the projection wrote from a parsed payload
  const key = db
    .prepare('SELECT public_key FROM trust_keys WHERE origin = ? AND key_id = ?')
    .pluck()
    .get(subject, q.keyId) as string | undefined;
  if (key === undefined) return 'unverified';
  const statement = checkpointStatement({
    origin: subject,
    seq,
    headHash,
    time: q.time,
    keyId: q.keyId,
    reason: q.reason,
    ...(q.merkleRoot === null ? {} : { merkleRoot: q.merkleRoot }),
  });
  return verifyBytes(key, statement, q.signature) ? 'signed' : 'forged';
};

const checked = (db: Database.Database, r: Row): Equivocation => ({
  subject: r.subject,
  seq: r.seq,
  witness: r.witness,
  witnessHash: r.witnessHash,
  other: r.other,
  otherHash: r.otherHash,
  witnessProof: proofOf(db, r.subject, r.seq, r.witnessHash, r.w),
  otherProof: r.b === null ? null : proofOf(db, r.subject, r.seq, r.otherHash, r.b),
});

const statements = new WeakMap<Database.Database, { all: Database.Statement; range: Database.Statement }>();

const prepared = (db: Database.Database) => {
  let s = statements.get(db);
  if (s === undefined) {
    s = {
      all: db.prepare(select('')),
      range: db.prepare(select('AND w.subject = @subject AND w.seq BETWEEN @from AND @to')),
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
  // The columns are aliased to Row's fields.
  if (ranges === undefined) return (s.all.all() as Row[]).map((r) => checked(db, r));
  const found = new Map<string, Row>();
  for (const r of ranges)
    for (const e of s.range.all(r) as Row[]) found.set(`${e.subject}/${e.seq}/${e.witness}/${e.other ?? ''}`, e);
  return [...found.values()].map((r) => checked(db, r));
};

/** The witness that quoted a checkpoint its subject never signed, if any: then it lies, not the subject. */
export const forger = (e: Equivocation): string | undefined =>
  e.witnessProof === 'forged' ? e.witness : e.otherProof === 'forged' ? (e.other ?? undefined) : undefined;

/** One line for the technician: the core log, `vigie verify`, the status bar's detail. */
export const describeEquivocation = (e: Equivocation): string => {
  const liar = forger(e);
  if (liar !== undefined)
    return `CONTRE-SIGNATURE FAUSSE : le témoin ${liar} cite au seq ${e.seq} du poste ${e.subject} un point de contrôle que ce poste n'a pas signé`;
  const proof =
    e.witnessProof === 'signed' && e.otherProof !== 'unverified'
      ? 'signé par le poste'
      : 'signature du poste non vérifiable ici : clé inconnue';
  return (
    `ÉQUIVOQUE : le poste ${e.subject} montre des historiques différents — au seq ${e.seq}, le témoin ${e.witness} ` +
    `a contresigné ${e.witnessHash.slice(0, 16)}…, ${e.other === null ? 'ce journal porte' : `le témoin ${e.other} a contresigné`} ` +
    `${e.otherHash.slice(0, 16)}… (${proof})`
  );
};
