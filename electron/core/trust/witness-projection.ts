/**
 * The countersignatures as a table, one row per checkpoint countersigned (migrations/0002_witness.ts), for
 * equivocation.ts to compare with the log and between witnesses. Derived like any projection: `vigie
 * verify` checks the countersignatures' signatures from the events (verify.ts) and this table against a
 * rebuild.
 */
import type Database from 'better-sqlite3';
import { cachedStatement } from '../store/statements.js';
import type { Projection, StoredEvent } from '../store/types.js';
import { COUNTERSIGNED, type CountersignedPayload } from './events.js';

const apply = (db: Database.Database, event: StoredEvent): void => {
  if (event.type !== COUNTERSIGNED) return;
  // The store validated the payload against countersignedPayload before this event was written.
  const w = event.payload as CountersignedPayload;
  const insert = cachedStatement(
    db,
    `INSERT OR IGNORE INTO trust_witness (witness, checkpoint_id, event_id, event_seq, subject, seq, head_hash, key_id,
       time, checkpoint_time, checkpoint_key_id, checkpoint_reason, checkpoint_merkle_root, checkpoint_signature)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  for (const i of w.items)
    insert.run(
      event.origin,
      i.checkpointId,
      event.id,
      event.seq,
      i.origin,
      i.seq,
      i.headHash,
      w.keyId,
      w.time,
      i.time,
      i.keyId,
      i.reason,
      i.merkleRoot ?? null,
      i.signature,
    );
};

// Routed only the countersignatures (Projection.eventTypes): every other event skips this projection.
export const witnessProjection: Projection = {
  name: 'trust_witness',
  tables: ['trust_witness'],
  eventTypes: [COUNTERSIGNED],
  apply,
};
