/**
 * Projections of the main courante, applied inside the append (or rebuild) transaction: synchronous,
 * no await. Every number and time they derive comes from the event itself (its origin, its HLC, its
 * payload) and from rows written by earlier events, so a rebuild replaying the log in insertion order
 * gives the same numbers (docs/architecture.md, rule 1).
 *
 * Numbering: per position (origin) and per calendar day in Nouméa of the time written. Per day because
 * an entry must have a number whether or not a shift is open (calls, system events, a position started
 * at night), and "main courante du 29/11/2026, n° 42" is how the room cites it; per position because
 * two positions writing at once cannot agree on a single sequence without a network, and replication
 * must never renumber an entry already printed. The position name is part of every reference.
 */
import type Database from 'better-sqlite3';
import { formatNoumea } from '../clock.js';
import { cachedStatement as stmt } from '../store/statements.js';
import type { Projection, ProjectionKey, StoredEvent } from '../store/types.js';
import {
  readEntryPayload,
  operationClosedSchema,
  operationLinkedSchema,
  operationCreatedSchema,
  shiftClosedSchema,
  shiftOpenedSchema,
} from './event-types.js';
import { linkedEntryText, relinkEntry } from './links.js';
import { metaText } from './meta.js';
import { firstEntryFrom } from './order.js';
import { runNumbering, tableNumbering, type Numbering } from './numbering.js';
import { rosterProjection } from './roster.js';
import { applyOperations, applySessions, applyShifts } from './state-projections.js';
import { noumeaDay, writtenMsOf } from './time.js';

interface NewEntry {
  text: string;
  category: string;
  factMs: number | null;
  important: boolean;
  kind: string;
  operationId: string | null;
  callId: string | null;
  shiftId: string | null;
  corrects: string | null;
  position: string | null;
  role: string | null;
}

/**
 * `searchLater`: during a full replay the full-text rows are written once at the end (`fillSearch`), from the
 * finished table, instead of one insert per entry here and a replacement per operation link.
 */
const insertEntry = (
  db: Database.Database,
  numbering: Numbering,
  searchLater: boolean,
  event: StoredEvent,
  e: NewEntry,
): void => {
  const writtenMs = writtenMsOf(event);
  const day = noumeaDay(writtenMs);
  const dayNo = numbering.next(event.origin, day);
  // Out of order: written earlier than an entry already numbered (a replicated event); see migration 0005.
  const latest = numbering.latest();
  const ooo = latest !== null && writtenMs < latest ? 1 : 0;
  const info = stmt(
    db,
    `INSERT OR IGNORE INTO logbook_entries (event_id, origin, seq, hlc, at_ms, author, category, text, corrects_id,
       day, day_no, position, role, fact_ms, important, kind, operation_id, call_id, shift_id, event_hash, ooo)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    event.id,
    event.origin,
    event.seq,
    event.hlc,
    writtenMs,
    event.author,
    e.category,
    e.text,
    e.corrects,
    day,
    dayNo,
    e.position ?? '',
    e.role,
    e.factMs ?? writtenMs,
    e.important ? 1 : 0,
    e.kind,
    e.operationId,
    e.callId,
    e.shiftId,
    event.hash,
    ooo,
  );
  if (info.changes !== 1) return;
  numbering.inserted(event.origin, day, dayNo, writtenMs);
  if (e.corrects !== null)
    stmt(db, 'INSERT INTO logbook_corrections (corrects_id, entry_no) VALUES (?, ?)').run(
      e.corrects,
      info.lastInsertRowid,
    );
  if (searchLater) return;
  const meta = metaText({
    category: e.category,
    author: event.author,
    important: e.important,
    operationId: e.operationId,
    shiftId: e.shiftId,
  });
  stmt(db, 'INSERT INTO logbook_fts (rowid, text, meta) VALUES (?, ?, ?)').run(info.lastInsertRowid, e.text, meta);
};

/**
 * The full-text rows of every entry in one statement, after a full replay: the same text and the same
 * `meta` tokens as `metaText` (lower-case hex of the UTF-8 bytes, as meta.ts). hex(NULL) is '' in SQLite,
 * not NULL: an absent operation or shift is tested, or it would leave a lone `o` / `s` token. `into` and
 * `from`: other tables of the same shape (bench/rebuild.ts measures the schema's own floor with them).
 */
export const fillSearch = (db: Database.Database, into = 'logbook_fts', from = 'logbook_entries'): void => {
  db.exec(
    `INSERT INTO "${into}" (rowid, text, meta)
     SELECT entry_no, text, 'k' || lower(hex(category)) || ' a' || lower(hex(author))
       || CASE WHEN important = 1 THEN ' imp1' ELSE ' imp0' END
       || CASE WHEN operation_id IS NULL THEN '' ELSE ' o' || lower(hex(operation_id)) END
       || CASE WHEN shift_id IS NULL THEN '' ELSE ' s' || lower(hex(shift_id)) END
     FROM "${from}" ORDER BY entry_no`,
  );
};

const base = { factMs: null, important: false, operationId: null, callId: null, shiftId: null, corrects: null };

const list = (items: readonly string[], empty: string): string =>
  items.length === 0 ? empty : items.map((s) => `\n  • ${s}`).join('');

/**
 * One pending callback of a handover. Handovers written before `abandonedAt` keep their original line (a
 * rebuild must give the text that was printed); the others read « 18 Pompiers : +687 … — abandonné le … ».
 */
const callbackLine = (c: {
  number: string;
  label: string;
  abandonedAt?: string | undefined;
  attempts?: number | undefined;
}) =>
  c.abandonedAt === undefined
    ? `${c.number} — ${c.label}`
    : `${c.label} : ${c.number} — abandonné le ${formatNoumea(Date.parse(c.abandonedAt))}${
        c.attempts !== undefined && c.attempts > 0 ? ` (${c.attempts} tentative${c.attempts > 1 ? 's' : ''})` : ''
      }`;

const applyEntries = (db: Database.Database, numbering: Numbering, searchLater: boolean, event: StoredEvent): void => {
  switch (event.type) {
    case 'logbook.entry': {
      const p = readEntryPayload(event.payload);
      insertEntry(db, numbering, searchLater, event, {
        text: p.text,
        category: p.category,
        factMs: p.factAt === undefined ? null : Date.parse(p.factAt),
        important: p.important ?? false,
        kind: p.correctsId === undefined ? 'entry' : 'correction',
        operationId: p.operationId ?? null,
        callId: p.callId ?? null,
        shiftId: p.shiftId ?? null,
        corrects: p.correctsId ?? null,
        position: p.position ?? null,
        role: p.role ?? null,
      });
      return;
    }
    case 'shift.opened': {
      const p = shiftOpenedSchema.parse(event.payload);
      insertEntry(db, numbering, searchLater, event, {
        ...base,
        text: `Prise de service. Équipe : ${p.team.join(', ')}.`,
        category: 'information',
        kind: 'shift.open',
        shiftId: p.shiftId,
        position: p.position,
        role: p.role,
      });
      return;
    }
    case 'shift.closed': {
      const p = shiftClosedSchema.parse(event.payload);
      const text = [
        'Relève — fin de vacation.',
        `Consignes : ${p.consignes.trim() === '' ? '(aucune)' : p.consignes.trim()}`,
        `Opérations en cours (${p.openOperations.length}) :${list(
          p.openOperations.map((o) => `${o.title} — ${o.commune}`),
          ' aucune',
        )}`,
        `Rappels en attente (${p.pendingCallbacks.length}) :${list(p.pendingCallbacks.map(callbackLine), ' aucun')}`,
      ].join('\n');
      insertEntry(db, numbering, searchLater, event, {
        ...base,
        text,
        category: 'point de situation',
        important: true,
        kind: 'shift.close',
        shiftId: p.shiftId,
        position: p.position,
        role: p.role,
      });
      return;
    }
    case 'operation.created': {
      const p = operationCreatedSchema.parse(event.payload);
      insertEntry(db, numbering, searchLater, event, {
        ...base,
        text: `Ouverture de l’opération « ${p.title} » (${p.type}) — ${p.commune}, province ${p.province}.`,
        category: 'décision',
        kind: 'operation.open',
        operationId: p.operationId,
        position: p.position,
        role: p.role,
      });
      return;
    }
    case 'operation.closed': {
      const p = operationClosedSchema.parse(event.payload);
      const op = stmt(db, 'SELECT title FROM operations WHERE operation_id = ?').get(p.operationId) as
        { title: string } | undefined;
      const summary = p.summary !== undefined && p.summary.trim() !== '' ? ` Bilan : ${p.summary.trim()}` : '';
      insertEntry(db, numbering, searchLater, event, {
        ...base,
        text: `Clôture de l’opération « ${op?.title ?? p.operationId} ».${summary}`,
        category: 'décision',
        kind: 'operation.close',
        operationId: p.operationId,
        position: p.position,
        role: p.role,
      });
      return;
    }
    case 'logbook.operationLinked': {
      const p = operationLinkedSchema.parse(event.payload);
      const link = linkedEntryText(db, p.entryId, p.operationId);
      if (link === null) return;
      insertEntry(db, numbering, searchLater, event, {
        ...base,
        text: link,
        category: 'information',
        kind: 'operation.link',
        operationId: p.operationId,
        position: p.position,
        role: p.role,
      });
      relinkEntry(db, p.entryId, p.operationId, searchLater);
      return;
    }
    default:
      return;
  }
};

/**
 * `Projection.forgetFrom` of the entries: entry_no follows projection order (every entry is projected after
 * all those before it, by an append, an in-order batch or a replay), so what events at or after `from`
 * derived is the entries from the first one of them on, their corrections and their full-text rows.
 * Replaying those events then numbers them as a full replay would (numbering.ts reads what remains). A link
 * to an operation rewrites an earlier entry (links.ts): with one in the suffix, the projection is replayed
 * whole.
 */
const forgetEntriesFrom = (db: Database.Database, from: ProjectionKey): boolean => {
  const relink = stmt(
    db,
    `SELECT 1 FROM events WHERE (hlc, origin, seq) >= (?, ?, ?) AND type = 'logbook.operationLinked' LIMIT 1`,
  ).get(from.hlc, from.origin, from.seq);
  if (relink !== undefined) return false;
  const first = firstEntryFrom(db, from);
  if (first === null) return true;
  // contentless_delete = 1 (logbook migration 3): full-text rows are deleted by rowid (https://sqlite.org/fts5.html).
  stmt(db, 'DELETE FROM logbook_fts WHERE rowid >= ?').run(first);
  stmt(db, 'DELETE FROM logbook_corrections WHERE entry_no >= ?').run(first);
  stmt(db, 'DELETE FROM logbook_entries WHERE entry_no >= ?').run(first);
  return true;
};

// Operations before entries: the closing entry reads the operation's title.
export const logbookProjections: readonly Projection[] = [
  {
    name: 'operations',
    tables: ['operations'],
    apply: applyOperations,
    eventTypes: ['operation.created', 'operation.closed'],
  },
  {
    name: 'logbook',
    tables: ['logbook_fts', 'logbook_corrections', 'logbook_entries'],
    apply: (db, event) => applyEntries(db, tableNumbering(db), false, event),
    begin: (db, replay) => {
      const numbering = runNumbering(db);
      return {
        apply: (event) => applyEntries(db, numbering, replay, event),
        end: () => {
          if (replay) fillSearch(db);
        },
      };
    },
    forgetFrom: forgetEntriesFrom,
    eventTypes: [
      'logbook.entry',
      'shift.opened',
      'shift.closed',
      'operation.created',
      'operation.closed',
      'logbook.operationLinked',
    ],
    // automerge = 0 since migration 0006: the store's worker merges its segments off the append path.
    ftsMergeTables: ['logbook_fts'],
  },
  {
    name: 'sessions',
    tables: ['sessions', 'users'],
    apply: applySessions,
    eventTypes: ['user.enrolled', 'user.pinSet', 'session.signedIn', 'session.signedOut'],
  },
  { name: 'shifts', tables: ['shifts'], apply: applyShifts, eventTypes: ['shift.opened', 'shift.closed'] },
  rosterProjection,
];
