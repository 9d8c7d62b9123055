/**
 * Export of the main courante to PDF or CSV. The set of entries is fixed when the export starts (entries
 * up to the last entry_no at that moment), read in batches of BATCH with synchronous queries and written
 * between two yields to the event loop: appends and UI requests are served while a long export runs.
 * (Paged `.all()` rather than `.iterate()`: an open iterator would keep this connection busy and
 * block the appends, https://github.com/WiseLibs/better-sqlite3/blob/master/docs/api.md#iteratebindparameters---iterator.)
 */
import { randomUUID } from 'node:crypto';
import { chmodSync, createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type Database from 'better-sqlite3';
import type { ExportResult, LogbookFilters } from '../../../contract/logbook.js';
import { formatNoumea } from '../../clock.js';
import { writtenSpan } from '../filters.js';
import { countEntries, entriesBatch, lastEntryHash, toEntries } from '../queries.js';
import { CSV_HEADER, csvRow, entryToCsvRow, UTF8_BOM } from './csv.js';
import { writePdf, type BatchSource } from './pdf.js';
import { entryChecker, verifyForExport, type ExportCheckpoint } from './verified.js';

export const BATCH = 250;

export interface ExportRequest {
  format: 'pdf' | 'csv';
  filters?: LogbookFilters | undefined;
  /** The words searched on screen (full text, as `logbook.search`): the export holds what the list found. */
  query?: string | undefined;
  /** Output file; default `<exportDir>/main-courante-<date>-<id>.<ext>`. */
  file?: string | undefined;
  /** Last entry_no covered (default: the last one when the export starts); the bundle fixes it at its checkpoint. */
  upTo?: number | undefined;
}

export interface ExportEnv {
  db: Database.Database;
  directorate: string;
  positionName: string;
  exportDir: string;
  now: () => number;
}

export interface ExportProgress {
  exportId: string;
  format: 'pdf' | 'csv';
  done: number;
  total: number;
}

const stamp = (ms: number): string =>
  formatNoumea(ms).replace(/^(\d\d)\/(\d\d)\/(\d{4}) (\d\d):(\d\d):(\d\d)$/, '$3$2$1-$4$5$6');

const periodLabel = (
  db: Database.Database,
  filters: LogbookFilters | undefined,
  upTo: number,
  query: string | undefined,
): string => {
  const bounds = writtenSpan(db, upTo);
  const from = filters?.from !== undefined ? Date.parse(filters.from) : bounds.first;
  const to = filters?.to !== undefined ? Date.parse(filters.to) : bounds.last;
  const period =
    from === null || to === null ? 'période vide' : `du ${formatNoumea(from)} au ${formatNoumea(to)} (heure de Nouméa)`;
  const searched = query === undefined ? '' : ` — recherche « ${query.trim().slice(0, 200)} »`;
  if (filters?.operationId === undefined) return `${period}${searched}`;
  const op = db.prepare('SELECT title FROM operations WHERE operation_id = ?').get(filters.operationId) as
    { title: string } | undefined;
  return `${period} — opération « ${op?.title ?? filters.operationId} »${searched}`;
};

/** Writes the file; `onProgress` is called after every batch (both passes for a PDF). */
export const exportLogbook = async (
  env: ExportEnv,
  request: ExportRequest,
  onProgress: (p: ExportProgress) => void = () => {},
): Promise<ExportResult> => {
  const exportId = randomUUID();
  const { db } = env;
  const { format, filters } = request;
  const query = request.query?.trim() === '' ? undefined : request.query;
  // Verified data only: the chains, the signatures, then each entry against its event as it is read.
  const checkpoint: ExportCheckpoint | null = verifyForExport(db);
  const check = entryChecker(db);
  const upTo =
    request.upTo ??
    (db.prepare('SELECT coalesce(max(entry_no), 0) AS n FROM logbook_entries').get() as { n: number }).n;
  const total = countEntries(db, filters, upTo, query);
  // Known before the first page is written: every PDF page prints it.
  const lastEventHash = lastEntryHash(db, filters, upTo, query);
  const source: BatchSource = async function* () {
    let after = 0;
    for (;;) {
      const rows = entriesBatch(db, filters, after, upTo, BATCH, query);
      if (rows.length === 0) return;
      after = rows[rows.length - 1]?.entry_no ?? after;
      const entries = toEntries(db, rows);
      check(entries);
      yield entries;
    }
  };
  let file = request.file;
  if (file === undefined) {
    // Exports are copies of the log: owner only (docs/architecture.md, "Evidence").
    mkdirSync(env.exportDir, { recursive: true, mode: 0o700 });
    file = join(env.exportDir, `main-courante-${stamp(env.now())}-${exportId.slice(0, 8)}.${format}`);
  }
  if (format === 'csv') {
    const out = createWriteStream(file, { encoding: 'utf8', mode: 0o600 });
    out.write(UTF8_BOM + csvRow(CSV_HEADER));
    let done = 0;
    for await (const batch of source()) {
      // Respect the stream's backpressure, then let the event loop breathe between batches.
      if (!out.write(batch.map(entryToCsvRow).join(''))) await once(out, 'drain');
      done += batch.length;
      onProgress({ exportId, format, done, total });
      await yieldToLoop();
    }
    out.end();
    await finished(out);
  } else {
    await writePdf(
      file,
      {
        directorate: env.directorate,
        position: env.positionName,
        period: periodLabel(db, filters, upTo, query),
        lastEventHash,
        checkpoint,
      },
      source,
      (done) => onProgress({ exportId, format, done, total: total * 2 }),
    );
  }
  // A file that existed before keeps its mode through createWriteStream: owner only in every case.
  chmodSync(file, 0o600);
  return { exportId, file, format, entries: total, lastEventHash, checkpoint };
};
