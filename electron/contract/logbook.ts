import { z } from 'zod';

/** Default categories of the main courante; a position may configure its own list. */
export const DEFAULT_CATEGORIES = [
  'information',
  'demande',
  'décision',
  'action',
  'moyens engagés',
  'point de situation',
  'appel',
  'technique',
] as const;

/**
 * Longest entry text, in Unicode code points (not UTF-16 units): an emoji counts as one character.
 * 4 000 is about a printed A4 page, far beyond a normal entry; longer notes belong in an attachment.
 */
export const MAX_TEXT_CHARS = 4000;

/** Code points, not UTF-16 units: what a user counts as characters (an emoji is one). */
export const countChars = (text: string): number => Array.from(text).length;

/** The stored form of a text: NFC (so "é" typed two ways searches and prints the same), no trailing blanks. */
export const normalizeText = (raw: string): string => raw.normalize('NFC').trimEnd();

/**
 * The one length rule for texts of the main courante (entries, consignes): the contract, the core's
 * message and the event schemas all call this, so they cannot disagree.
 */
export const textTooLong = (raw: string): boolean => countChars(normalizeText(raw)) > MAX_TEXT_CHARS;

const nf = new Intl.NumberFormat('fr-FR');
/** The French refusal, with the count: the same words wherever the rule is checked. */
export const textTooLongMessage = (raw: string): string =>
  `Texte trop long : ${nf.format(countChars(normalizeText(raw)))} caractères pour ${nf.format(MAX_TEXT_CHARS)} au plus. Scindez le texte en plusieurs inscriptions.`;

/** A text of the main courante, as the contract and the event schemas accept it. */
export const logbookTextSchema = z.string().superRefine((text, ctx) => {
  if (textTooLong(text)) ctx.addIssue({ code: 'custom', message: textTooLongMessage(text) });
});

/** Where an entry comes from: typed by a user, or written by the core for a shift or an operation. */
export const ENTRY_KINDS = [
  'entry',
  'correction',
  'shift.open',
  'shift.close',
  'operation.open',
  'operation.close',
  /** An earlier entry rattachée to an operation (`logbook.linkOperation`): the link is itself an entry. */
  'operation.link',
] as const;
export type EntryKind = (typeof ENTRY_KINDS)[number];

export interface LogbookEntry {
  /** Id of the event that wrote the entry (UUIDv7). */
  id: string;
  /** Position (node id) that wrote it, and its name at the time. */
  origin: string;
  position: string;
  /**
   * Number, sequential per day (Pacific/Noumea, by time written) and per position, starting at 1.
   * `reference` is the printable form: "2026-11-29 n° 42 (POSTE-1)".
   */
  day: string;
  number: number;
  reference: string;
  /** ISO 8601 instants: when it was written (system time) and when the fact happened. */
  writtenAt: string;
  factAt: string;
  /** Fact time earlier than writing time by more than a minute: "saisie différée". */
  late: boolean;
  author: string;
  role: string | null;
  category: string;
  important: boolean;
  text: string;
  kind: EntryKind;
  operationId: string | null;
  callId: string | null;
  shiftId: string | null;
  /** This entry corrects that one (id), and its reference for display. */
  corrects: string | null;
  correctsReference: string | null;
  /** Corrections written for this entry, oldest first (ids and references). */
  correctedBy: { id: string; reference: string }[];
  /** SHA-256 of the event (hex), to check a printout against the database. */
  eventHash: string;
}

const isoSchema = z.iso.datetime({ offset: true });
const idSchema = z.string().min(1).max(64);

/** Filters shared by list, search and export. Date bounds apply to the time written. */
export const logbookFiltersSchema = z
  .object({
    from: isoSchema.optional(),
    to: isoSchema.optional(),
    shiftId: idSchema.optional(),
    category: z.string().min(1).max(40).optional(),
    author: z.string().min(1).max(60).optional(),
    operationId: idSchema.optional(),
    important: z.boolean().optional(),
  })
  .strict();
export type LogbookFilters = z.output<typeof logbookFiltersSchema>;

const textSchema = logbookTextSchema;

export const logbookRequests = {
  'logbook.append': z
    .object({
      text: textSchema,
      category: z.string().min(1).max(40),
      factAt: isoSchema.optional(),
      important: z.boolean().optional(),
      operationId: idSchema.optional(),
      callId: idSchema.optional(),
    })
    .strict(),
  /** "Rectifier": a new entry that points at the original; the original is never changed. */
  'logbook.correct': z
    .object({
      entryId: idSchema,
      text: textSchema,
      category: z.string().min(1).max(40).optional(),
      factAt: isoSchema.optional(),
      important: z.boolean().optional(),
    })
    .strict(),
  'logbook.get': z.object({ entryId: idSchema }).strict(),
  /**
   * Rattache an entry written without an operation to one: a new event and a new entry that says so;
   * the entry itself keeps its text, author and times, and shows the operation from then on.
   */
  'logbook.linkOperation': z.object({ entryId: idSchema, operationId: idSchema }).strict(),
  /** Newest first; page with `before` (the `cursor` of the previous page). */
  'logbook.list': z
    .object({
      filters: logbookFiltersSchema.optional(),
      before: z.number().int().positive().optional(),
      limit: z.number().int().min(1).max(1000).optional(),
    })
    .strict(),
  /** Full text (accent-insensitive), combined with the filters; newest first. */
  'logbook.search': z
    .object({
      query: z.string().max(200),
      filters: logbookFiltersSchema.optional(),
      before: z.number().int().positive().optional(),
      limit: z.number().int().min(1).max(1000).optional(),
    })
    .strict(),
  'logbook.categories': z.object({}).strict(),
  /** Writes a PDF or CSV file in the position's export folder; progress comes as `export.progress` events. */
  'export.start': z
    .object({
      format: z.enum(['pdf', 'csv']),
      filters: logbookFiltersSchema.optional(),
      /** The words searched on screen: the export holds exactly what the list found. */
      query: z.string().max(200).optional(),
    })
    .strict(),
};

export interface LogbookPage {
  entries: LogbookEntry[];
  /** Pass as `before` to get the next (older) page; null at the end. */
  cursor: number | null;
}

export interface ExportResult {
  exportId: string;
  file: string;
  format: 'pdf' | 'csv';
  entries: number;
  /** SHA-256 of the last event covered (printed in the footer), or null for an empty export. */
  lastEventHash: string | null;
  /** The signed checkpoint printed in every footer, with its key's fingerprint; null when the position has none. */
  checkpoint?: ExportCheckpoint | null;
}

/** A position's signed checkpoint as the exports print it (electron/core/trust). */
export interface ExportCheckpoint {
  origin: string;
  seq: number;
  headHash: string;
  time: string;
  keyId: string;
  /** SHA-256 of the raw Ed25519 public key, in groups of four hex digits. */
  fingerprint: string;
}

/**
 * A finished export handed to the person: downloaded by the browser, or written where Electron's save
 * dialog said (`saved` false: the dialog was cancelled). `name` is the file's name, never a server path.
 */
export interface ExportSaved {
  name: string;
  saved: boolean;
}

export interface LogbookResults {
  'logbook.append': LogbookEntry;
  'logbook.correct': LogbookEntry;
  'logbook.get': LogbookEntry;
  /** The new entry that records the link; the linked entry comes again as a `logbook.entry` event. */
  'logbook.linkOperation': LogbookEntry;
  'logbook.list': LogbookPage;
  'logbook.search': LogbookPage;
  'logbook.categories': string[];
  'export.start': ExportResult;
}

export type LogbookEvent =
  /** A new entry (typed, correction, shift, operation, or from another source); live updates. */
  | { type: 'logbook.entry'; entry: LogbookEntry }
  /** Too many entries at once to send each (a replicated page, a history pulled): reload the entries shown. */
  | { type: 'logbook.stale' }
  | { type: 'export.progress'; exportId: string; format: 'pdf' | 'csv'; done: number; total: number }
  | { type: 'export.finished'; result: ExportResult };
