import type { LogbookEntry } from '../../../contract/logbook.js';
import { roleName } from '../../../contract/session.js';
import { formatNoumea } from '../../clock.js';

/** Byte order mark: lets spreadsheet programs read the file as UTF-8 rather than a legacy code page. */
export const UTF8_BOM = '\uFEFF';

/**
 * One field, quoted as RFC 4180 §2 rules 5–7 say: fields containing a comma, a double quote, CR or
 * LF are enclosed in double quotes, and a double quote inside is doubled. Other fields go as is.
 * The text is written exactly as recorded (no formula escaping): the export is a legal copy.
 */
export const csvField = (value: string): string =>
  /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;

/** RFC 4180 §2 rule 2: records end with CRLF. */
export const csvRow = (fields: readonly string[]): string => `${fields.map(csvField).join(',')}\r\n`;

export const CSV_HEADER = [
  'référence',
  'jour',
  'numéro',
  'poste',
  'écrit le (Nouméa)',
  'fait le (Nouméa)',
  'saisie différée',
  'auteur',
  'rôle',
  'catégorie',
  'important',
  'nature',
  'texte',
  'opération',
  'appel',
  'rectifie',
  'rectifiée par',
  'écrit le (UTC)',
  'fait le (UTC)',
  'empreinte SHA-256 de l’événement',
] as const;

const yesNo = (b: boolean): string => (b ? 'oui' : 'non');

export const entryToCsvRow = (e: LogbookEntry): string =>
  csvRow([
    e.reference,
    e.day,
    String(e.number),
    e.position,
    formatNoumea(Date.parse(e.writtenAt)),
    formatNoumea(Date.parse(e.factAt)),
    yesNo(e.late),
    e.author,
    roleName(e.role),
    e.category,
    yesNo(e.important),
    e.kind,
    e.text,
    e.operationId ?? '',
    e.callId ?? '',
    e.correctsReference ?? '',
    e.correctedBy.map((c) => c.reference).join(' ; '),
    e.writtenAt,
    e.factAt,
    e.eventHash,
  ]);
