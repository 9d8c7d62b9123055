import { ipcMain, type BrowserWindow } from 'electron';
import { channels } from '../contract/channels.js';
import { fail, MAX_REQUEST_BYTES, type CoreEvent, type Result } from '../contract/index.js';
import type { Core } from '../core/index.js';
import { isTrustedSender } from './security.js';

/** The ipcMain adapter: checks the sender, bounds the size, and hands `unknown` to the core, which parses. */
export const connectIpc = (
  core: Core,
  getWindow: () => BrowserWindow | null,
  warn: (m: string) => void,
): (() => void) => {
  ipcMain.handle(channels.request, async (event, method: unknown, args: unknown): Promise<Result<unknown>> => {
    if (!isTrustedSender(getWindow(), event.sender, event.senderFrame?.url)) {
      warn(`IPC refusée : expéditeur inattendu ${event.senderFrame?.url ?? '?'}`);
      return fail('forbidden', 'Expéditeur non autorisé');
    }
    if (typeof method !== 'string') return fail('unknown_method', 'Requête sans nom');
    if ((JSON.stringify(args ?? null)?.length ?? 0) > MAX_REQUEST_BYTES) {
      return fail('invalid_argument', `Requête trop volumineuse (max ${MAX_REQUEST_BYTES} octets)`);
    }
    return core.request(method, args);
  });
  const off = core.onEvent((event: CoreEvent) => {
    const window = getWindow();
    if (window !== null && !window.isDestroyed()) window.webContents.send(channels.event, event);
  });
  return () => {
    off();
    ipcMain.removeHandler(channels.request);
  };
};
