/**
 * The chain check of verify.ts cut into parts that can run side by side: each part checks a contiguous range
 * of the log in (origin, seq) order, and `mergeParts` joins them as one walk from the first row would
 * (docs/architecture.md, rule 2). A part that starts in the middle of a chain cannot know its first row's
 * predecessor: it checks that row's own hash and leaves its seq, its link and its HLC order to the merge,
 * which has the end of the part before. The merge reports the same first bad event, the same counts and the
 * same origins as a single walk.
 */
import type Database from 'better-sqlite3';
import { EVENT_COLUMNS, eventHash, GENESIS_HASH, type EventTuple } from './chain.js';
import { compareHlc, parseHlc, type HlcTimestamp } from './hlc.js';
import type { VerifyFailure, VerifyProblem, VerifyReport } from './types.js';

export interface OrderPoint {
  origin: string;
  seq: number;
}

export interface PartBounds {
  /** First (origin, seq) of the part, itself included; from the first row when absent. */
  from?: OrderPoint;
  /** First (origin, seq) after the part; to the last row when absent. */
  until?: OrderPoint;
  /**
   * The highest seq of each origin in the snapshot verified. A part read on another connection may see rows
   * appended since: it skips them, so that every part checks the same rows.
   */
  maxSeq: ReadonlyMap<string, number>;
}

/** The rows of one origin within one part. */
export interface Segment {
  origin: string;
  /** Its first row continues the chain of the part before (seq, link and HLC order checked by the merge). */
  continued: boolean;
  firstSeq: number;
  firstId: string;
  firstPrevHash: string;
  firstHlc: string;
  /** Rows checked (a failing row is not counted). */
  events: number;
  lastSeq: number;
  lastId: string;
  lastHash: string;
  lastHlc: string;
}

export interface PartResult {
  segments: Segment[];
  /** The part's first bad row, in its last segment. */
  failure?: VerifyFailure;
}

export interface Head {
  origin: string;
  seq: number;
  id: string;
  hash: string;
}

/** Rows between two yields: ~20–40 ms of work, so an async caller's event loop stays responsive. */
const STEP = 1000;

const fail = (origin: string, seq: number, id: string, problem: VerifyProblem, message: string): VerifyFailure => ({
  origin,
  seq,
  id,
  problem,
  message,
});

const seqFailure = (origin: string, seq: number, id: string, expectedSeq: number): VerifyFailure =>
  seq > expectedSeq
    ? fail(
        origin,
        seq,
        id,
        'missing',
        expectedSeq === seq - 1
          ? `événement manquant avant celui-ci : seq ${expectedSeq} absent`
          : `événements manquants avant celui-ci : seq ${expectedSeq} à ${seq - 1} absents`,
      )
    : fail(origin, seq, id, 'malformed', `numéro de séquence invalide (attendu ${expectedSeq})`);

const altered = (origin: string, seq: number, id: string): VerifyFailure =>
  fail(
    origin,
    seq,
    id,
    'altered',
    'contenu altéré ou déplacé : le hash recalculé ne correspond pas au hash enregistré',
  );
const brokenLink = (origin: string, seq: number, id: string): VerifyFailure =>
  fail(
    origin,
    seq,
    id,
    'broken-link',
    `lien rompu : prev_hash ne correspond pas au hash de l'événement seq ${seq - 1}`,
  );
const unreadableHlc = (origin: string, seq: number, id: string, hlc: string): VerifyFailure =>
  fail(origin, seq, id, 'malformed', `horloge illisible : ${hlc}`);
const reordered = (origin: string, seq: number, id: string, hlc: string): VerifyFailure =>
  fail(
    origin,
    seq,
    id,
    'reordered',
    `ordre rompu : horloge ${hlc} non postérieure à celle de l'événement seq ${seq - 1}`,
  );

/**
 * Checks the rows of `bounds` in (origin, seq) order and stops at the first bad one: a gap in seq (missing),
 * a hash that does not match the stored content (altered — a moved row shows here too, since seq is hashed),
 * a prev_hash that is not the previous event's hash (broken link), an HLC not after its predecessor's
 * (reordered). Yields the number of rows checked every STEP rows.
 */
export function* verifyPart(db: Database.Database, bounds: PartBounds): Generator<number, PartResult, void> {
  const where: string[] = [];
  const params: (string | number)[] = [];
  if (bounds.from !== undefined) {
    where.push('(origin, seq) >= (?, ?)');
    params.push(bounds.from.origin, bounds.from.seq);
  }
  if (bounds.until !== undefined) {
    where.push('(origin, seq) < (?, ?)');
    params.push(bounds.until.origin, bounds.until.seq);
  }
  // Rows as arrays: a million objects with named keys, then a copy of each for eventHash, cost more than
  // the hashing (bench `store`, verify of 1 M events).
  const rows = db
    .prepare(
      `SELECT ${EVENT_COLUMNS} FROM events ${where.length === 0 ? '' : `WHERE ${where.join(' AND ')}`} ORDER BY origin, seq`,
    )
    .raw()
    .iterate(...params) as IterableIterator<EventTuple>;
  const segments: Segment[] = [];
  const result = (failure?: VerifyFailure): PartResult =>
    failure === undefined ? { segments } : { segments, failure };
  let segment: Segment | undefined;
  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  let prevHlc: HlcTimestamp | undefined;
  let checked = 0;

  for (const [origin, seq, id, hlcText, type, author, payloadJson, rowPrevHash, hash] of rows) {
    const max = bounds.maxSeq.get(origin);
    if (max === undefined || seq > max) continue;
    if (segment === undefined || segment.origin !== origin) {
      const continued =
        segment === undefined && bounds.from !== undefined && bounds.from.origin === origin && bounds.from.seq > 1;
      segment = {
        origin,
        continued,
        firstSeq: seq,
        firstId: id,
        firstPrevHash: rowPrevHash,
        firstHlc: hlcText,
        events: 0,
        lastSeq: 0,
        lastId: '',
        lastHash: GENESIS_HASH,
        lastHlc: '',
      };
      segments.push(segment);
      // A continued segment's first row is taken as it comes: its seq, link and HLC order are the merge's.
      expectedSeq = continued ? seq : 1;
      prevHash = continued ? rowPrevHash : GENESIS_HASH;
      prevHlc = undefined;
    }
    if (seq !== expectedSeq) return result(seqFailure(origin, seq, id, expectedSeq));
    if (eventHash(rowPrevHash, { origin, seq, id, hlc: hlcText, type, author, payloadJson }) !== hash)
      return result(altered(origin, seq, id));
    if (rowPrevHash !== prevHash) return result(brokenLink(origin, seq, id));
    const hlc = parseHlc(hlcText);
    if (hlc === undefined) return result(unreadableHlc(origin, seq, id, hlcText));
    if (prevHlc !== undefined && compareHlc(hlc, prevHlc) <= 0) return result(reordered(origin, seq, id, hlcText));
    prevHlc = hlc;
    prevHash = hash;
    expectedSeq += 1;
    segment.events += 1;
    segment.lastSeq = seq;
    segment.lastId = id;
    segment.lastHash = hash;
    segment.lastHlc = hlcText;
    checked += 1;
    if (checked % STEP === 0) yield checked;
  }
  return result();
}

interface Chain {
  origin: string;
  events: number;
  lastSeq: number;
  lastId: string;
  lastHash: string;
  lastHlc: HlcTimestamp | undefined;
}

/**
 * The parts' results, in order, as one walk: each continued segment's first row checked against the end of
 * the chain before it, then each chain's end against its recorded head — a chain shorter than its head is
 * truncated, a head whose origin has no event left means the whole chain was removed.
 */
export const mergeParts = (parts: readonly PartResult[], headRows: readonly Head[]): VerifyReport => {
  const heads = new Map(headRows.map((h) => [h.origin, h]));
  const origins: VerifyReport['origins'] = [];
  let events = 0;
  let chain: Chain | undefined;
  const report = (firstBad: VerifyFailure | undefined): VerifyReport =>
    firstBad === undefined ? { ok: true, events, origins } : { ok: false, events, origins, firstBad };

  const closeChain = (): VerifyFailure | undefined => {
    if (chain === undefined) return undefined;
    const { origin, lastSeq, lastHash, lastId } = chain;
    origins.push({ origin, events: chain.events, headSeq: lastSeq, headHash: lastHash });
    const head = heads.get(origin);
    heads.delete(origin);
    if (head === undefined) return undefined;
    if (head.seq > lastSeq)
      return fail(
        origin,
        head.seq,
        head.id,
        'truncated',
        `chaîne tronquée : la tête enregistrée est seq ${head.seq} (id ${head.id}) mais le dernier événement présent est seq ${lastSeq}`,
      );
    if (head.seq === lastSeq && (head.hash !== lastHash || head.id !== lastId))
      return fail(
        origin,
        head.seq,
        lastId,
        'broken-link',
        `le dernier événement ne correspond pas à la tête enregistrée (id ${head.id}, hash ${head.hash.slice(0, 12)}…)`,
      );
    return undefined;
  };

  /**
   * A continued segment's first row after the chain so far: the checks its part left to the merge, in a walk's
   * order around those its part made. A failure the part found on that row can only be its hash (altered) or
   * its clock (malformed): the part took the row's seq, link and order as they came.
   */
  const seam = (c: Chain, s: Segment, failure: VerifyFailure | undefined): VerifyFailure | undefined => {
    const first = failure?.seq === s.firstSeq ? failure : undefined;
    if (s.firstSeq !== c.lastSeq + 1) return seqFailure(s.origin, s.firstSeq, s.firstId, c.lastSeq + 1);
    if (first?.problem === 'altered') return first;
    if (s.firstPrevHash !== c.lastHash) return brokenLink(s.origin, s.firstSeq, s.firstId);
    if (first !== undefined) return first;
    const hlc = parseHlc(s.firstHlc);
    if (hlc !== undefined && c.lastHlc !== undefined && compareHlc(hlc, c.lastHlc) <= 0)
      return reordered(s.origin, s.firstSeq, s.firstId, s.firstHlc);
    return undefined;
  };

  for (const part of parts) {
    for (const [i, s] of part.segments.entries()) {
      if (chain === undefined || chain.origin !== s.origin) {
        const bad = closeChain();
        if (bad !== undefined) return report(bad);
        chain = { origin: s.origin, events: 0, lastSeq: 0, lastId: '', lastHash: GENESIS_HASH, lastHlc: undefined };
      }
      const failure = i === part.segments.length - 1 ? part.failure : undefined;
      if (s.continued) {
        const bad = seam(chain, s, failure);
        if (bad !== undefined) return report(bad);
      }
      chain.events += s.events;
      events += s.events;
      if (s.events > 0) {
        chain.lastSeq = s.lastSeq;
        chain.lastId = s.lastId;
        chain.lastHash = s.lastHash;
        chain.lastHlc = parseHlc(s.lastHlc);
      }
      if (failure !== undefined) return report(failure);
    }
  }
  const bad = closeChain();
  if (bad !== undefined) return report(bad);
  for (const head of heads.values())
    return report(
      fail(
        head.origin,
        head.seq,
        head.id,
        'truncated',
        `chaîne absente : la tête enregistrée est seq ${head.seq} (id ${head.id}) mais aucun événement de cette origine n'est présent`,
      ),
    );
  return report(undefined);
};
