/**
 * Exports are made from verified data (issue 11 §5): before the first line is written the chains and the
 * signatures are checked (store/verify.ts, trust/verify.ts), and every exported entry is compared with the
 * event that wrote it — id, origin, seq, author, hash, and for an operator's entry its text and category —
 * so that a row of logbook_entries edited outside the log is refused instead of printed. (The proof that
 * every projection table equals a replay is `vigie verify`: at 1 M events it costs a replay of the log.)
 */
import type Database from 'better-sqlite3';
import { VigieError } from '../../../contract/result.js';
import type { ExportCheckpoint, LogbookEntry } from '../../../contract/logbook.js';

export type { ExportCheckpoint } from '../../../contract/logbook.js';
import { formatFailure, verifyDatabase } from '../../store/verify.js';
import { formatFingerprint } from '../../trust/signatures.js';
import { formatTrustFailure, verifyTrust } from '../../trust/verify.js';

const refuse = (why: string): VigieError =>
  new VigieError(
    'conflict',
    `Export refusé : ${why}. Lancer vigie verify, puis vigie repair ou restaurer une sauvegarde.`,
  );

/** Checks the chains and the signatures; returns this origin's latest checkpoint (what the export prints). */
export const verifyForExport = (db: Database.Database): ExportCheckpoint | null => {
  const chains = verifyDatabase(db);
  if (chains.firstBad !== undefined) throw refuse(`journal altéré (${formatFailure(chains.firstBad)})`);
  const trust = verifyTrust(db);
  if (trust.failure !== undefined) throw refuse(`signature en défaut (${formatTrustFailure(trust.failure)})`);
  const origin = db.prepare("SELECT value FROM meta WHERE key = 'origin'").pluck().get() as string | undefined;
  const hasTrust = db.prepare("SELECT 1 FROM sqlite_schema WHERE name = 'trust_checkpoints'").get() !== undefined;
  if (origin === undefined || !hasTrust) return null;
  const row = db
    .prepare(
      `SELECT c.seq, c.head_hash, c.time, c.key_id, k.public_key FROM trust_checkpoints c
       JOIN trust_keys k ON k.origin = c.origin AND k.key_id = c.key_id
       WHERE c.origin = ? ORDER BY c.event_seq DESC LIMIT 1`,
    )
    .get(origin) as { seq: number; head_hash: string; time: string; key_id: string; public_key: string } | undefined;
  return row === undefined
    ? null
    : {
        origin,
        seq: row.seq,
        headHash: row.head_hash,
        time: row.time,
        keyId: row.key_id,
        fingerprint: formatFingerprint(row.public_key),
      };
};

interface EventFields {
  id: string;
  origin: string;
  seq: number;
  type: string;
  author: string;
  payload: string;
  hash: string;
}

/** Refuses the export when an entry differs from its event. */
export const entryChecker = (db: Database.Database): ((entries: readonly LogbookEntry[]) => void) => {
  const byId = db.prepare('SELECT id, origin, seq, type, author, payload, hash FROM events WHERE id = ?');
  return (entries) => {
    for (const e of entries) {
      const event = byId.get(e.id) as EventFields | undefined;
      const differs = (): string | null => {
        if (event === undefined) return 'aucun événement ne l’a écrite';
        if (event.hash !== e.eventHash || event.origin !== e.origin || event.author !== e.author)
          return 'auteur, origine ou empreinte différents de son événement';
        if (event.type === 'logbook.entry') {
          const payload = JSON.parse(event.payload) as { text?: unknown; category?: unknown };
          if (payload.text !== e.text) return 'texte différent de son événement';
          if (payload.category !== e.category) return 'catégorie différente de son événement';
        }
        return null;
      };
      const why = differs();
      if (why !== null) throw refuse(`l’inscription ${e.reference} (événement ${e.id}) : ${why}`);
    }
  };
};
