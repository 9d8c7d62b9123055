/**
 * Checking events received from other positions before they enter the log (README "Remote events";
 * docs/architecture.md, "Replication"). Every link is checked against what this database holds for that
 * origin, exactly as `verify` would check it afterwards: seq contiguous, prev_hash = previous hash, the
 * hash recomputed from the fields as received, HLC after the previous one. Payloads are validated by their
 * type's schema and must already be canonical: the text is stored as received, since the hash covers it.
 */
import type Database from 'better-sqlite3';
import type { z } from 'zod';
import { remoteChecker, type RemoteChecks } from './remote-checks.js';
import { canonicalJson } from './canonical.js';
import { eventHash, GENESIS_HASH } from './chain.js';
import { parseHlc } from './hlc.js';
import { compareOrder, lastInOrder, projectInserted, toStoredEvent } from './replay.js';
import type { Projection, RemoteApplyResult, RemoteEvent, RemoteProblem, RemoteRefusal, StoredEvent } from './types.js';

export type RemoteWithin = (db: Database.Database, result: RemoteApplyResult) => void;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const HEX64 = /^[0-9a-f]{64}$/;

export interface CheckedRemote {
  /** Accepted events, grouped by origin in seq order. */
  accepted: RemoteEvent[];
  duplicates: number;
  refused: RemoteRefusal[];
}

interface Head {
  seq: number;
  hash: string;
  /** Its HLC text: fixed-width, it sorts as the clock does (hlc.ts), so links are compared as text. */
  hlc: string | undefined;
}

const refusal = (event: RemoteEvent, problem: RemoteProblem, detail: string): RemoteRefusal => ({
  event,
  problem,
  message: `événement reçu refusé (origine ${event.origin}, seq ${event.seq}, id ${event.id}) : ${detail}`,
});

const shapeProblem = (e: RemoteEvent): string | undefined => {
  if (!UUID.test(e.origin)) return 'origine illisible';
  if (!Number.isSafeInteger(e.seq) || e.seq < 1) return 'seq illisible';
  if (!UUID.test(e.id)) return 'id illisible';
  if (parseHlc(e.hlc) === undefined) return 'horloge illisible';
  if (!HEX64.test(e.prevHash) || !HEX64.test(e.hash)) return 'empreinte illisible';
  if (typeof e.author !== 'string' || e.author.trim() === '' || e.author.length > 200) return 'auteur illisible';
  return undefined;
};

/** Every object's keys, in property order, are in code-unit order (canonical.ts sorts them so). */
const keysSorted = (value: unknown): boolean => {
  if (typeof value !== 'object' || value === null) return true;
  if (Array.isArray(value)) return value.every(keysSorted);
  const keys = Object.keys(value);
  for (let i = 1; i < keys.length; i += 1) if (!((keys[i - 1] ?? '') < (keys[i] ?? ''))) return false;
  return Object.values(value).every(keysSorted);
};

/**
 * Whether `text` is the canonical JSON of `value`, its JSON.parse, mostly without writing it again in full:
 * JSON.stringify writes strings, numbers, arrays and members as canonicalJson does, in property order, so
 * when it gives the text back and every object's keys are sorted, the text is canonical. Otherwise
 * canonicalJson decides (property order puts integer-like keys first, "9" before "10", canonical order does
 * not). A number out of range parses to Infinity, which canonical JSON refuses by throwing: that is a
 * refusal of this event, never an exception that would stop the whole batch, and replication with it.
 */
const isCanonical = (value: unknown, text: string): boolean => {
  if (JSON.stringify(value) === text && keysSorted(value)) return true;
  try {
    return canonicalJson(value) === text;
  } catch {
    return false;
  }
};

const payloadProblem = (types: ReadonlyMap<string, z.ZodType>, e: RemoteEvent): string | undefined => {
  const schema = types.get(e.type);
  if (schema === undefined) return `type d'événement inconnu de cette version : ${e.type}`;
  let value: unknown;
  try {
    value = JSON.parse(e.payloadJson);
  } catch {
    return 'contenu qui n’est pas du JSON';
  }
  if (!isCanonical(value, e.payloadJson)) return 'contenu qui n’est pas en JSON canonique';
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const details = parsed.error.issues.map((i) => `${i.path.join('.') || '(racine)'} : ${i.message}`);
    return `contenu invalide pour ${e.type} : ${details.join(' ; ')}`;
  }
  return undefined;
};

/** Reads heads, events and what the modules' checks read; writes nothing. Runs inside the caller's transaction. */
export const checkRemote = (
  db: Database.Database,
  types: ReadonlyMap<string, z.ZodType>,
  events: readonly RemoteEvent[],
  checks?: RemoteChecks,
): CheckedRemote => {
  const selectHead = db.prepare('SELECT seq, hash FROM heads WHERE origin = ?');
  const selectAt = db.prepare('SELECT hash, hlc FROM events WHERE origin = ? AND seq = ?');
  const sorted = [...events].sort((a, b) => (a.origin !== b.origin ? (a.origin < b.origin ? -1 : 1) : a.seq - b.seq));
  const heads = new Map<string, Head>();
  const blocked = new Set<string>();
  const accepted: RemoteEvent[] = [];
  const refused: RemoteRefusal[] = [];
  let duplicates = 0;
  const moduleCheck = remoteChecker(db, checks, accepted);

  const headOf = (origin: string): Head => {
    let head = heads.get(origin);
    if (head === undefined) {
      const row = selectHead.get(origin) as { seq: number; hash: string } | undefined;
      const last =
        row === undefined ? undefined : (selectAt.get(origin, row.seq) as { hash: string; hlc: string } | undefined);
      head = {
        seq: row?.seq ?? 0,
        hash: row?.hash ?? GENESIS_HASH,
        hlc: last === undefined || parseHlc(last.hlc) === undefined ? undefined : last.hlc,
      };
      heads.set(origin, head);
    }
    return head;
  };

  for (const e of sorted) {
    const shape = shapeProblem(e);
    if (shape !== undefined) {
      blocked.add(e.origin);
      refused.push(refusal(e, 'invalid', shape));
      continue;
    }
    if (blocked.has(e.origin)) {
      refused.push(refusal(e, 'after-refused', 'un événement précédent de cette origine a été refusé'));
      continue;
    }
    const head = headOf(e.origin);
    if (e.seq <= head.seq) {
      const known = selectAt.get(e.origin, e.seq) as { hash: string } | undefined;
      if (known !== undefined && known.hash === e.hash) {
        duplicates += 1;
        continue;
      }
      blocked.add(e.origin);
      refused.push(
        refusal(
          e,
          'fork',
          `le journal a déjà un autre événement à cette place (hash ${known?.hash.slice(0, 12) ?? '?'}…)`,
        ),
      );
      continue;
    }
    const problem = ((): [RemoteProblem, string] | undefined => {
      if (e.seq !== head.seq + 1) return ['missing', `l'événement seq ${head.seq + 1} manque avant lui`];
      if (e.prevHash !== head.hash)
        return ['broken-link', 'prev_hash ne correspond pas au hash de l’événement précédent'];
      // The event carries the hashed fields under their own names (HashedFields): no copy per event.
      if (eventHash(e.prevHash, e) !== e.hash)
        return ['altered', 'le hash recalculé diffère : contenu modifié après chaînage'];
      // Both HLC texts matched the clock's pattern (shapeProblem, headOf): text order is clock order.
      if (head.hlc !== undefined && e.hlc <= head.hlc)
        return ['reordered', 'horloge qui ne suit pas celle de l’événement précédent'];
      const invalid = payloadProblem(types, e);
      if (invalid !== undefined) return ['invalid', invalid];
      return moduleCheck(e);
    })();
    if (problem !== undefined) {
      blocked.add(e.origin);
      refused.push(refusal(e, problem[0], problem[1]));
      continue;
    }
    heads.set(e.origin, { seq: e.seq, hash: e.hash, hlc: e.hlc });
    accepted.push(e);
  }
  return { accepted, duplicates, refused };
};

/**
 * Inside applyRemote's transaction: checks the batch, inserts the accepted events (`insert`), then projects
 * them in (HLC, origin, seq) order — incrementally when they all sort after what is already projected,
 * otherwise by replaying the order-sensitive projections from the first of them (replay.ts
 * `projectInserted`; docs/architecture.md, "Conflicts by construction").
 */
export const insertRemote = (
  db: Database.Database,
  types: ReadonlyMap<string, z.ZodType>,
  projections: readonly Projection[],
  events: readonly RemoteEvent[],
  checks: RemoteChecks | undefined,
  insert: (event: RemoteEvent) => void,
): Omit<RemoteApplyResult, 'clock'> => {
  const checked = checkRemote(db, types, events, checks);
  const before = lastInOrder(db);
  const applied: StoredEvent[] = checked.accepted.map((e) => {
    insert(e);
    return toStoredEvent({ ...e, payload: e.payloadJson });
  });
  applied.sort(compareOrder);
  const replayed = projectInserted(db, projections, applied, before);
  return { applied, duplicates: checked.duplicates, refused: checked.refused, replayed };
};

/** One origin's events after `afterSeq`, in seq order, as another position receives them (push, tests). */
export const eventsAfter = (db: Database.Database, origin: string, afterSeq: number, limit: number): RemoteEvent[] =>
  db
    .prepare(
      `SELECT origin, seq, id, hlc, type, author, payload AS payloadJson, prev_hash AS prevHash, hash
       FROM events WHERE origin = ? AND seq > ? ORDER BY seq LIMIT ?`,
    )
    .all(origin, afterSeq, limit) as RemoteEvent[];
