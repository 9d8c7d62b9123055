/**
 * The keyed half of `vigie verify` (docs/architecture.md, rule 2): every key registration and every
 * checkpoint is read from the events themselves (not from the projection tables), its signature checked
 * against the origin's key in force at that point of its chain, and the hash each checkpoint attests
 * compared with the chain as it stands. Someone who can write the file but not the position's private key
 * can recompute the chain with the public formula; the signed checkpoints then no longer match it.
 */
import type Database from 'better-sqlite3';
import { GENESIS_HASH } from '../store/chain.js';
import { findEquivocations, hasWitnessTable, type Equivocation } from './equivocation.js';
import {
  CHECKPOINT,
  COUNTERSIGNED,
  KEY_REGISTERED,
  checkpointPayload,
  countersignedPayload,
  keyRegisteredPayload,
} from './events.js';
import {
  checkpointStatement,
  countersignatureStatement,
  formatFingerprint,
  keyIdOf,
  keyStatement,
  verifyBytes,
} from './signatures.js';

export type TrustProblem = 'signature' | 'recomputed' | 'key' | 'malformed';

export interface TrustFailure {
  origin: string;
  seq: number;
  id: string;
  problem: TrustProblem;
  message: string;
}

export interface OriginTrust {
  origin: string;
  keyId: string | null;
  fingerprint: string | null;
  checkpoints: number;
  /** Countersignatures this origin wrote as a witness of the others, each signature checked. */
  countersignatures: number;
  /** seq covered by the last valid checkpoint (0: none). */
  coveredSeq: number;
  lastCheckpointAt: string | null;
}

export interface TrustReport {
  ok: boolean;
  origins: OriginTrust[];
  failure?: TrustFailure;
  /**
   * Positions that showed different histories (equivocation.ts), at most 100. Not a failure of this log:
   * the countersignatures that reveal them are evidence, kept as they are.
   */
  equivocations: Equivocation[];
}

interface Row {
  origin: string;
  seq: number;
  id: string;
  type: string;
  payload: string;
}

/**
 * `localKeyId`: the key id of this data directory's private key file, when known: then the log's own
 * origin must have registered it (a log whose every trust event was removed and whose chain was recomputed
 * is told apart from a log that never had a key).
 */
export const verifyTrust = (db: Database.Database, localKeyId?: string): TrustReport => {
  const rows = db
    .prepare(`SELECT origin, seq, id, type, payload FROM events WHERE type IN (?, ?, ?) ORDER BY origin, seq`)
    .all(KEY_REGISTERED, CHECKPOINT, COUNTERSIGNED) as Row[];
  const hashAt = db.prepare('SELECT hash FROM events WHERE origin = ? AND seq = ?').pluck();
  const origins = new Map<string, OriginTrust & { keys: Map<string, string>; current: string | null }>();
  const state = (origin: string) => {
    let s = origins.get(origin);
    if (s === undefined) {
      s = {
        origin,
        keyId: null,
        fingerprint: null,
        checkpoints: 0,
        countersignatures: 0,
        coveredSeq: 0,
        lastCheckpointAt: null,
        keys: new Map(),
        current: null,
      };
      origins.set(origin, s);
    }
    return s;
  };
  const report = (failure?: TrustFailure): TrustReport => {
    const list = [...origins.values()].map((o): OriginTrust => ({
      origin: o.origin,
      keyId: o.keyId,
      fingerprint: o.fingerprint,
      checkpoints: o.checkpoints,
      countersignatures: o.countersignatures,
      coveredSeq: o.coveredSeq,
      lastCheckpointAt: o.lastCheckpointAt,
    }));
    const equivocations = hasWitnessTable(db) ? findEquivocations(db) : [];
    return failure === undefined
      ? { ok: true, origins: list, equivocations }
      : { ok: false, origins: list, failure, equivocations };
  };
  const fail = (row: Row, problem: TrustProblem, message: string): TrustReport =>
    report({ origin: row.origin, seq: row.seq, id: row.id, problem, message });

  for (const row of rows) {
    const s = state(row.origin);
    if (row.type === KEY_REGISTERED) {
      const parsed = keyRegisteredPayload.safeParse(JSON.parse(row.payload));
      if (!parsed.success) return fail(row, 'malformed', 'enregistrement de clé illisible');
      const k = parsed.data;
      if (keyIdOf(k.publicKey) !== k.keyId)
        return fail(row, 'key', `identifiant de clé ${k.keyId} faux pour sa clé publique`);
      const signer = s.current === null ? k.publicKey : s.keys.get(s.current);
      if (k.previousKeyId !== s.current || signer === undefined)
        return fail(
          row,
          'key',
          `clé ${k.keyId} : remplace ${k.previousKeyId ?? 'aucune clé'}, la clé en vigueur est ${s.current ?? 'aucune'}`,
        );
      if (!verifyBytes(signer, keyStatement(row.origin, k), k.signature))
        return fail(
          row,
          'signature',
          `signature invalide de l'enregistrement de la clé ${k.keyId}${s.current === null ? '' : ` (par la clé ${s.current})`}`,
        );
      s.keys.set(k.keyId, k.publicKey);
      s.current = k.keyId;
      s.keyId = k.keyId;
      s.fingerprint = formatFingerprint(k.publicKey);
      continue;
    }
    if (row.type === COUNTERSIGNED) {
      const parsed = countersignedPayload.safeParse(JSON.parse(row.payload));
      if (!parsed.success) return fail(row, 'malformed', 'contre-signature illisible');
      const w = parsed.data;
      const witnessKey = w.keyId === s.current ? s.keys.get(w.keyId) : undefined;
      if (witnessKey === undefined)
        return fail(
          row,
          'key',
          `contre-signature par la clé ${w.keyId}, qui n'est pas la clé en vigueur (${s.current ?? 'aucune clé enregistrée'})`,
        );
      if (!verifyBytes(witnessKey, countersignatureStatement(row.origin, w), w.signature))
        return fail(row, 'signature', `signature invalide de la contre-signature du ${w.time} (clé ${w.keyId})`);
      s.countersignatures += 1;
      continue;
    }
    const parsed = checkpointPayload.safeParse(JSON.parse(row.payload));
    if (!parsed.success) return fail(row, 'malformed', 'point de contrôle illisible');
    const c = parsed.data;
    if (c.origin !== row.origin || c.seq >= row.seq)
      return fail(
        row,
        'malformed',
        `point de contrôle de ${c.origin} seq ${c.seq} écrit dans la chaîne ${row.origin} au seq ${row.seq}`,
      );
    const publicKey = c.keyId === s.current ? s.keys.get(c.keyId) : undefined;
    if (publicKey === undefined)
      return fail(
        row,
        'key',
        `point de contrôle signé par la clé ${c.keyId}, qui n'est pas la clé en vigueur (${s.current ?? 'aucune clé enregistrée'})`,
      );
    if (!verifyBytes(publicKey, checkpointStatement(c), c.signature))
      return fail(
        row,
        'signature',
        `signature invalide du point de contrôle (seq ${c.seq}, clé ${c.keyId}, ${c.time})`,
      );
    const actual = c.seq === 0 ? GENESIS_HASH : (hashAt.get(row.origin, c.seq) as string | undefined);
    if (actual !== c.headHash)
      return fail(
        row,
        'recomputed',
        `falsification : le point de contrôle signé du ${c.time} (clé ${c.keyId}) atteste le hash ${c.headHash.slice(0, 16)}… ` +
          `de l'événement seq ${c.seq}, le journal porte ${actual === undefined ? 'aucun événement' : `${actual.slice(0, 16)}…`} : ` +
          'la chaîne a été recalculée sans la clé du poste',
      );
    s.checkpoints += 1;
    s.coveredSeq = c.seq;
    s.lastCheckpointAt = c.time;
  }

  if (localKeyId !== undefined) {
    const origin =
      (db.prepare("SELECT value FROM meta WHERE key = 'origin'").pluck().get() as string | undefined) ?? '';
    const own = origins.get(origin);
    if (own?.keys.has(localKeyId) !== true)
      return report({
        origin,
        seq: 0,
        id: '',
        problem: 'key',
        message: `falsification : la clé du poste ${localKeyId} n'est pas enregistrée dans son propre journal (événements de confiance retirés ?)`,
      });
  }
  return report();
};

export const formatTrustFailure = (f: TrustFailure): string =>
  `FAIL origin=${f.origin} seq=${f.seq} id=${f.id} ${f.problem}: ${f.message}`;
