import type Database from 'better-sqlite3';
import { hash } from 'node:crypto';
import { cachedStatement } from './statements.js';

/** prev_hash of the first event (seq 1) of every origin: 64 zeros. */
export const GENESIS_HASH = '0'.repeat(64);

/** A row of `events` as SQLite returns it (columns aliased to camelCase; payload still as text). */
export interface EventRow {
  origin: string;
  seq: number;
  id: string;
  hlc: string;
  type: string;
  author: string;
  payload: string;
  prevHash: string;
  hash: string;
}

/** Sum of the chain heads' seq: seq is contiguous per origin (verify checks it), so this is O(origins). */
export const headsTotal = (db: Database.Database): number =>
  (cachedStatement(db, 'SELECT coalesce(sum(seq), 0) AS n FROM heads').get() as { n: number }).n;

/** The columns of `events` as read in bulk (replay, verify), in the order of `EventTuple`. */
export const EVENT_COLUMNS = 'origin, seq, id, hlc, type, author, payload, prev_hash, hash';

/**
 * A row of `events` read with .raw() over EVENT_COLUMNS (events is STRICT: store migration 1): a million
 * arrays cost less to build than a million objects with named keys.
 */
export type EventTuple = [string, number, string, string, string, string, string, string, string];

/** The fields of an event that its hash covers (everything but prev_hash, which is chained, and hash). */
export interface HashedFields {
  origin: string;
  seq: number;
  id: string;
  hlc: string;
  type: string;
  author: string;
  /** The payload's canonical JSON text, exactly as stored in `events.payload`. */
  payloadJson: string;
}

/**
 * Canonical JSON of the whole event: the object {author, hlc, id, origin, payload, seq, type} with its
 * keys in sorted order (canonical.ts). The payload text is already canonical, so it is spliced in as is;
 * this keeps `vigie verify` from parsing a million payloads, and makes any non-canonical rewrite of a
 * stored payload (even a semantically equal one) a detected alteration.
 */
export const eventCanonicalJson = (e: HashedFields): string =>
  `{"author":${JSON.stringify(e.author)},"hlc":${JSON.stringify(e.hlc)},"id":${JSON.stringify(e.id)},` +
  `"origin":${JSON.stringify(e.origin)},"payload":${e.payloadJson},"seq":${e.seq},"type":${JSON.stringify(e.type)}}`;

/**
 * hash = lowercase hex SHA-256 (FIPS 180-4) of the UTF-8 bytes of prev_hash (64 hex characters)
 * immediately followed by the UTF-8 bytes of the event's canonical JSON. docs/architecture.md, rule 2.
 */
export const eventHash = (prevHash: string, e: HashedFields): string =>
  // One-shot crypto.hash (Node ≥ 20.12): no Hash object per event, which matters to verify's memory at 1 M events.
  hash('sha256', prevHash + eventCanonicalJson(e), 'hex');
