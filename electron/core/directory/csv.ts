/**
 * The directory's CSV: reading an import (RFC 4180 fields, `;` as a French spreadsheet writes it, or `,`)
 * into checked rows with a French error per bad line, and writing the export. Pure: no store here, so that
 * the service can refuse a whole file before appending anything.
 */
import {
  DIRECTORY_CATEGORIES,
  DIRECTORY_CATEGORY_LABELS,
  MAX_DIRECTORY_ROWS,
  directoryEntryFields,
  type DirectoryCategory,
  type DirectoryEntry,
} from '../../contract/directory.js';
import { searchKey } from './projection.js';

export interface DirectoryRow {
  /** Line of the file where the record starts (1 = header). */
  line: number;
  name: string;
  category: DirectoryCategory;
  number: string;
  notes: string;
  speedDial: number | null;
}

export interface CsvLineError {
  line: number;
  message: string;
}

export type ParsedDirectory = { ok: true; rows: DirectoryRow[] } | { ok: false; errors: CsvLineError[] };

const HEADER = ['nom', 'service', 'numero', 'touche', 'notes'] as const;
type Column = (typeof HEADER)[number];
const REQUIRED: readonly Column[] = ['nom', 'service', 'numero'];

/** Records of an RFC 4180 text, each with the line it starts on; a quote left open is an error. */
const records = (text: string, sep: string): { line: number; fields: string[] }[] | CsvLineError => {
  const out: { line: number; fields: string[] }[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let start = 1;
  let i = 0;
  const endRecord = (): void => {
    fields.push(field);
    if (!(fields.length === 1 && fields[0]?.trim() === '')) out.push({ line: start, fields });
    fields = [];
    field = '';
  };
  while (i < text.length) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 2;
        continue;
      }
      if (c === '"') quoted = false;
      else {
        if (c === '\n') line += 1;
        field += c;
      }
      i += 1;
      continue;
    }
    if (c === '"' && field.trim() === '') {
      quoted = true;
      field = '';
    } else if (c === sep) {
      fields.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      i += 1;
      continue;
    } else if (c === '\n' || c === '\r') {
      endRecord();
      line += 1;
      start = line;
    } else field += c;
    i += 1;
  }
  if (quoted) return { line: start, message: 'guillemet ouvert jamais refermé' };
  if (field !== '' || fields.length > 0) endRecord();
  return out;
};

const categoryByKey = new Map<string, DirectoryCategory>(
  DIRECTORY_CATEGORIES.flatMap((c) => [
    [c, c],
    [searchKey(DIRECTORY_CATEGORY_LABELS[c]), c],
    [searchKey(DIRECTORY_CATEGORY_LABELS[c].split('/')[0] ?? c), c],
  ]),
);

/** Spaces, dots, dashes and brackets are how numbers are written, not what is dialled. */
const dialable = (text: string): string => text.replace(/[\s.()-]+/g, '');

const checkRow = (line: number, get: (c: Column) => string): DirectoryRow | CsvLineError => {
  const rawCategory = get('service');
  const category = categoryByKey.get(searchKey(rawCategory));
  if (category === undefined) {
    return {
      line,
      message: `service « ${rawCategory} » inconnu (attendu : ${DIRECTORY_CATEGORIES.join(', ')})`,
    };
  }
  const rawKey = get('touche');
  if (rawKey !== '' && !/^[1-9]$/.test(rawKey))
    return { line, message: `touche d’appel rapide « ${rawKey} » invalide (1 à 9, ou vide)` };
  const rawNumber = get('numero');
  if (rawNumber === '') return { line, message: 'numéro obligatoire' };
  const parsed = directoryEntryFields.safeParse({
    name: get('nom'),
    category,
    number: dialable(rawNumber),
    notes: get('notes'),
    speedDial: rawKey === '' ? null : Number(rawKey),
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path[0];
    const what = field === 'number' ? `numéro « ${rawNumber} » : ` : '';
    return { line, message: `${what}${issue?.message ?? 'ligne invalide'}` };
  }
  return { line, ...parsed.data };
};

/**
 * Reads a whole file. Every line is checked and every error reported (not only the first), so that the
 * technician fixes the file in one go; any error means no row at all.
 */
export const parseDirectoryCsv = (input: string): ParsedDirectory => {
  const text = input.replace(/^\uFEFF/, '');
  const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
  const sep = firstLine.includes(';') ? ';' : ',';
  const recs = records(text, sep);
  if (!Array.isArray(recs)) return { ok: false, errors: [recs] };
  const [head, ...body] = recs;
  if (head === undefined) return { ok: false, errors: [{ line: 1, message: 'fichier vide' }] };
  const columns = head.fields.map((f) => searchKey(f).replace(/ /g, '_'));
  const unknown = columns.filter((c) => !(HEADER as readonly string[]).includes(c));
  const missing = REQUIRED.filter((c) => !columns.includes(c));
  if (unknown.length > 0 || missing.length > 0) {
    const parts = [
      ...(missing.length > 0 ? [`colonne(s) manquante(s) : ${missing.join(', ')}`] : []),
      ...(unknown.length > 0 ? [`colonne(s) inconnue(s) : ${unknown.join(', ')}`] : []),
    ];
    return {
      ok: false,
      errors: [{ line: head.line, message: `en-tête attendu « ${HEADER.join(';')} » — ${parts.join(' ; ')}` }],
    };
  }
  if (body.length === 0) return { ok: false, errors: [{ line: head.line, message: 'aucune ligne après l’en-tête' }] };
  if (body.length > MAX_DIRECTORY_ROWS)
    return {
      ok: false,
      errors: [{ line: head.line, message: `${body.length} lignes : ${MAX_DIRECTORY_ROWS} au plus par import` }],
    };

  const errors: CsvLineError[] = [];
  const rows: DirectoryRow[] = [];
  const names = new Map<string, number>();
  const keys = new Map<number, number>();
  for (const rec of body) {
    if (rec.fields.length !== columns.length) {
      errors.push({ line: rec.line, message: `${rec.fields.length} champ(s) au lieu de ${columns.length}` });
      continue;
    }
    const get = (c: Column): string => {
      const index = columns.indexOf(c);
      return index < 0 ? '' : (rec.fields[index] ?? '').trim();
    };
    const row = checkRow(rec.line, get);
    if ('message' in row) {
      errors.push(row);
      continue;
    }
    const key = searchKey(row.name);
    const sameName = names.get(key);
    if (sameName !== undefined) {
      errors.push({ line: rec.line, message: `« ${row.name} » figure déjà ligne ${sameName}` });
      continue;
    }
    names.set(key, rec.line);
    if (row.speedDial !== null) {
      const sameKey = keys.get(row.speedDial);
      if (sameKey !== undefined) {
        errors.push({ line: rec.line, message: `touche ${row.speedDial} déjà donnée ligne ${sameKey}` });
        continue;
      }
      keys.set(row.speedDial, rec.line);
    }
    rows.push(row);
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, rows };
};

/** A field quoted when it holds the separator, a quote or a line break (RFC 4180, section 2). */
const quote = (text: string): string => (/[;"\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text);

/** The export: the import's own format, so that an exported file imports back unchanged. */
export const formatDirectoryCsv = (entries: readonly DirectoryEntry[]): string =>
  [
    HEADER.join(';'),
    ...entries.map((e) =>
      [
        e.name,
        DIRECTORY_CATEGORY_LABELS[e.category],
        e.number,
        e.speedDial === null ? '' : String(e.speedDial),
        e.notes,
      ]
        .map(quote)
        .join(';'),
    ),
  ].join('\r\n') + '\r\n';
