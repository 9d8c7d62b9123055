/**
 * The exports a page may still fetch: the browser host serves each one, token-checked, for a short time
 * after it finished, and the Electron shell copies it where the save dialog says. The page never sees a
 * path on the position's disk; it names an export by its id, and an id unknown or expired gets nothing.
 */
import { basename } from 'node:path';
import type { CoreEvent } from '../../../contract/index.js';
import type { ExportResult } from '../../../contract/logbook.js';

/** Long enough to click « Enregistrer » in a dialog; short enough that a stale id is worthless. */
export const DOWNLOAD_TTL_MS = 10 * 60_000;

export interface ExportFile {
  file: string;
  /** The name offered to the browser or the save dialog: the file's own name. */
  name: string;
  contentType: string;
}

const CONTENT_TYPES = { pdf: 'application/pdf', csv: 'text/csv; charset=utf-8' } as const;

/** UUIDs only (randomUUID in run.ts): anything else is refused before a look-up. */
export const EXPORT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export interface ExportFiles {
  /** Hand this to `core.onEvent`: it remembers every `export.finished`. */
  onEvent(event: CoreEvent): void;
  add(result: ExportResult): void;
  /** The file of a finished, unexpired export, or null. */
  get(exportId: string): ExportFile | null;
}

export const createExportFiles = (now: () => number = Date.now, ttlMs = DOWNLOAD_TTL_MS): ExportFiles => {
  const files = new Map<string, ExportFile & { expires: number }>();
  const prune = (): void => {
    const t = now();
    for (const [id, f] of files) if (f.expires <= t) files.delete(id);
  };
  const add = (result: ExportResult): void => {
    prune();
    files.set(result.exportId, {
      file: result.file,
      name: basename(result.file),
      contentType: CONTENT_TYPES[result.format],
      expires: now() + ttlMs,
    });
  };
  return {
    onEvent: (event) => {
      if (event.type === 'export.finished') add(event.result);
    },
    add,
    get: (exportId) => {
      if (!EXPORT_ID.test(exportId)) return null;
      prune();
      const f = files.get(exportId);
      return f === undefined ? null : { file: f.file, name: f.name, contentType: f.contentType };
    },
  };
};
