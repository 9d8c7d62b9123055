import type Database from 'better-sqlite3';
import type { VerifyFailure, VerifyReport } from './types.js';
import { mergeParts, verifyPart, type Head, type OrderPoint, type PartResult } from './verify-parts.js';
import { startVerifyWorker, verifyWorkerAvailable, type VerifyWorker } from './verify-worker-host.js';

/**
 * Above this many events the check runs in two parts side by side, the second in a worker thread on its own
 * read-only connection (verify-worker.ts): reading the rows and hashing them is CPU-bound, and the target of
 * docs/architecture.md ("Targets", verify 1 M events < 3 s) needs both CPUs. Below it, starting the worker
 * costs more than it saves.
 */
export const PARALLEL_FROM = 200_000;
/** The worker has made no progress for this long: it is taken for dead and its part is checked here. */
const STALL_MS = 10_000;

export interface VerifyOptions {
  /** Events from which the check runs in two parts (tests lower it); PARALLEL_FROM by default. */
  parallelFrom?: number;
}

/** The highest seq of each origin in this snapshot: an index seek per origin, walked through the primary key. */
const snapshotBounds = (db: Database.Database): Map<string, number> => {
  const next = db.prepare('SELECT origin FROM events WHERE origin > ? ORDER BY origin LIMIT 1').pluck();
  const max = db.prepare('SELECT max(seq) FROM events WHERE origin = ?').pluck();
  const bounds = new Map<string, number>();
  for (let o = next.get('') as string | undefined; o !== undefined; o = next.get(o) as string | undefined)
    bounds.set(o, max.get(o) as number);
  return bounds;
};

/** The (origin, seq) that cuts the log in two halves of about the same number of events. */
const middle = (bounds: ReadonlyMap<string, number>, total: number): OrderPoint | undefined => {
  let before = 0;
  for (const [origin, max] of bounds) {
    if (before + max > total / 2) return { origin, seq: Math.max(1, Math.floor(total / 2 - before)) };
    before += max;
  }
  return undefined;
};

/**
 * A part read on another connection saw every row of its range in this snapshot. Rows it cannot see are
 * always at the end of a chain (appended, not yet committed), so a failure it reports before them stands.
 */
const sawAll = (part: PartResult, maxSeq: ReadonlyMap<string, number>, from: OrderPoint): boolean =>
  part.failure !== undefined ||
  [...maxSeq].every(
    ([origin, max]) =>
      origin < from.origin ||
      (origin === from.origin && max < from.seq) ||
      part.segments.find((s) => s.origin === origin)?.lastSeq === max,
  );

/** A part's steps counted on top of what is checked elsewhere (`before`, read at each step); returns its result. */
function* countedFrom(
  part: Generator<number, PartResult, void>,
  before: () => number,
): Generator<number, PartResult, void> {
  for (let step = part.next(); ; step = part.next()) {
    if (step.done === true) return step.value;
    yield before() + step.value;
  }
}

/**
 * The worker's part, waited for 100 ms at a time so that the caller hears the worker's progress; undefined when
 * the worker failed or has made no progress for STALL_MS.
 */
function* workerPart(worker: VerifyWorker, checked: number): Generator<number, PartResult | undefined, void> {
  let progress = -1;
  let movedAt = performance.now();
  for (;;) {
    const answer = worker.wait(100);
    if (answer === 'failed') return undefined;
    if (answer !== 'pending') return answer;
    const now = worker.progress();
    if (now !== progress) [progress, movedAt] = [now, performance.now()];
    else if (performance.now() - movedAt > STALL_MS) return undefined;
    yield checked + now;
  }
}

/**
 * Recomputes every chain (docs/architecture.md, rule 2) in (origin, seq) order and stops at the first bad
 * event (verify-parts.ts): missing, altered, broken link, reordered, or a chain shorter than its recorded head
 * (truncated). Yields the number of events checked so far every 1000 rows (verify-parts.ts), both parts counted.
 */
export function* verifySteps(
  db: Database.Database,
  options: VerifyOptions = {},
): Generator<number, VerifyReport, void> {
  const heads = db.prepare('SELECT origin, seq, id, hash FROM heads').all() as Head[];
  const maxSeq = snapshotBounds(db);
  let total = 0;
  for (const max of maxSeq.values()) total += max;
  const split =
    total >= (options.parallelFrom ?? PARALLEL_FROM) && !db.memory && verifyWorkerAvailable()
      ? middle(maxSeq, total)
      : undefined;
  if (split === undefined) return mergeParts([yield* countedFrom(verifyPart(db, { maxSeq }), () => 0)], heads);
  const worker = startVerifyWorker(db.name, { from: split, maxSeq });
  try {
    const first = yield* countedFrom(verifyPart(db, { until: split, maxSeq }), () => worker.progress());
    // The first bad event is in the first part: the second cannot come before it.
    if (first.failure !== undefined) return mergeParts([first], heads);
    const checked = first.segments.reduce((n, s) => n + s.events, 0);
    let second = yield* workerPart(worker, checked);
    // The worker failed, stalled, or saw fewer rows than this snapshot (events of a transaction not yet
    // committed): its part is checked here instead.
    if (second === undefined || !sawAll(second, maxSeq, split))
      second = yield* countedFrom(verifyPart(db, { from: split, maxSeq }), () => checked);
    return mergeParts([first, second], heads);
  } finally {
    worker.stop();
  }
}

/** verifySteps run to the end inside one read transaction, so that events and heads are one snapshot. */
export const verifyDatabase = (db: Database.Database, options: VerifyOptions = {}): VerifyReport =>
  db.transaction(() => {
    const steps = verifySteps(db, options);
    for (;;) {
      const step = steps.next();
      if (step.done === true) return step.value;
    }
  })();

/**
 * The same, yielding to the event loop between steps: for checking a backup file without freezing the
 * process that owns the live database. The connection must be private (nothing else writes to it).
 */
export const verifyDatabaseAsync = async (db: Database.Database): Promise<VerifyReport> => {
  // In one part: waiting for a worker blocks the thread, and this caller's event loop must keep turning.
  const steps = verifySteps(db, { parallelFrom: Number.POSITIVE_INFINITY });
  for (;;) {
    const step = steps.next();
    if (step.done === true) return step.value;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
};

/** One line naming the first bad event, as `vigie verify` prints it. */
export const formatFailure = (f: VerifyFailure): string =>
  `FAIL origin=${f.origin} seq=${f.seq} id=${f.id} ${f.problem}: ${f.message}`;
