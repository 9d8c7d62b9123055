/**
 * « Enregistrer sous… » for an export of the main courante: the page names a finished export by its id
 * (checked sender, id checked against the exports this core finished, core/logbook/export/downloads.ts),
 * the main process asks where to save it with the system's dialog and copies the file there.
 */
import { dialog, ipcMain, type BrowserWindow } from 'electron';
import { copyFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { channels } from '../contract/channels.js';
import { fail, type ExportSaved, type Result } from '../contract/index.js';
import type { CoreEndpoint } from '../core/kernel/renderer-link.js';
import { createExportFiles } from '../core/logbook/export/downloads.js';
import { isTrustedSender } from './security.js';

export const connectExportSave = (
  core: CoreEndpoint,
  getWindow: () => BrowserWindow | null,
  warn: (m: string) => void,
): (() => void) => {
  const exports = createExportFiles();
  const off = core.onEvent((event) => exports.onEvent(event));
  ipcMain.handle(channels.saveExport, async (event, exportId: unknown): Promise<Result<ExportSaved>> => {
    const window = getWindow();
    if (!isTrustedSender(window, event.sender, event.senderFrame?.url) || window === null) {
      warn(`IPC refusée (export) : expéditeur inattendu ${event.senderFrame?.url ?? '?'}`);
      return fail('forbidden', 'Expéditeur non autorisé');
    }
    const found = typeof exportId === 'string' ? exports.get(exportId) : null;
    if (found === null) return fail('not_found', 'Export inconnu ou expiré : relancez l’export.');
    const ext = extname(found.name).slice(1);
    const choice = await dialog.showSaveDialog(window, {
      title: 'Enregistrer l’export de la main courante',
      defaultPath: found.name,
      filters: [{ name: ext.toUpperCase(), extensions: [ext] }],
    });
    if (choice.canceled || choice.filePath === undefined || choice.filePath === '')
      return { ok: true, value: { name: found.name, saved: false } };
    try {
      await copyFile(found.file, choice.filePath);
    } catch (error) {
      return fail(
        'unavailable',
        `Enregistrement impossible : ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    return { ok: true, value: { name: choice.filePath, saved: true } };
  });
  return () => {
    off();
    ipcMain.removeHandler(channels.saveExport);
  };
};
