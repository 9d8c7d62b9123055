import { app, ipcMain, type BrowserWindow, type IpcMainEvent, type WebContents } from 'electron';
import { channels } from '../contract/channels.js';
import {
  fail,
  MAX_RENDERER_REPLY_BYTES,
  MAX_REQUEST_BYTES,
  readyFlagsSchema,
  rendererReplySchema,
  type CoreEvent,
  type Result,
} from '../contract/index.js';
import type { CoreEndpoint, RendererAttachment, RendererPeer } from '../core/kernel/renderer-link.js';
import { isTrustedSender } from './security.js';

/** One loaded page of a window, as a peer of the core's renderer link (contract/renderer.ts). */
interface Page {
  attachment: RendererAttachment;
  pending: Map<number, (result: Result<unknown>) => void>;
}

const jsonLength = (value: unknown): number => JSON.stringify(value ?? null)?.length ?? 0;

/**
 * The ipcMain adapter, both directions. Page → core: checks the sender, bounds the size, and hands
 * `unknown` to the core, which parses. Core → page: each window's page is a renderer peer; requests go out
 * with webContents.send, replies and readiness come back on their own channels, from the same trusted
 * sender only, size-bounded, and are parsed by the core's renderer link.
 */
export const connectIpc = (
  core: CoreEndpoint,
  getWindow: () => BrowserWindow | null,
  warn: (m: string) => void,
): (() => void) => {
  const trusted = (event: { sender: WebContents; senderFrame?: { url: string } | null }, what: string): boolean => {
    if (isTrustedSender(getWindow(), event.sender, event.senderFrame?.url)) return true;
    warn(`IPC refusée (${what}) : expéditeur inattendu ${event.senderFrame?.url ?? '?'}`);
    return false;
  };

  ipcMain.handle(channels.request, async (event, method: unknown, args: unknown): Promise<Result<unknown>> => {
    if (!trusted(event, 'requête')) return fail('forbidden', 'Expéditeur non autorisé');
    if (typeof method !== 'string') return fail('unknown_method', 'Requête sans nom');
    if (jsonLength(args) > MAX_REQUEST_BYTES) {
      return fail('invalid_argument', `Requête trop volumineuse (max ${MAX_REQUEST_BYTES} octets)`);
    }
    return core.request(method, args);
  });

  const pages = new Map<number, Page>();
  const watched = new Set<number>();
  let nextRid = 1;
  let generation = 1;
  let disposed = false;

  const detachPage = (contentsId: number): void => {
    const page = pages.get(contentsId);
    if (page === undefined) return;
    pages.delete(contentsId);
    page.attachment.detach();
    for (const resolve of page.pending.values())
      resolve(fail('unavailable', 'Page de la console rechargée ou fermée.'));
    page.pending.clear();
  };

  const attachPage = (contents: WebContents): Page | undefined => {
    detachPage(contents.id);
    if (disposed) return undefined;
    const pending = new Map<number, (result: Result<unknown>) => void>();
    const peer: RendererPeer = {
      // A reload is a new page with new peer connections: a new peer id, so the link treats it as new.
      id: `window-${contents.id}-${generation++}`,
      request: (method, args, signal) =>
        new Promise((resolve) => {
          if (contents.isDestroyed()) return resolve(fail('unavailable', 'Fenêtre de la console fermée.'));
          const rid = nextRid++;
          pending.set(rid, resolve);
          // The core stopped waiting (timeout): a late answer will find no one and be dropped.
          signal?.addEventListener('abort', () => pending.delete(rid), { once: true });
          contents.send(channels.rendererRequest, rid, method, args);
        }),
    };
    const page: Page = { attachment: core.renderer.attach(peer), pending };
    pages.set(contents.id, page);
    return page;
  };

  /** Attaches the window's page now (so early requests wait for it) and follows its reloads and its end. */
  const watch = (contents: WebContents): void => {
    if (watched.has(contents.id)) return;
    watched.add(contents.id);
    const id = contents.id;
    attachPage(contents);
    // A new document (reload, first load) starts with no handlers: what the old one had in flight fails now.
    contents.on('did-start-navigation', (details) => {
      if (details.isMainFrame && !details.isSameDocument) attachPage(contents);
    });
    contents.on('render-process-gone', () => detachPage(id));
    contents.once('destroyed', () => {
      detachPage(id);
      watched.delete(id);
    });
  };

  const onWindow = (_event: unknown, window: BrowserWindow): void => watch(window.webContents);
  app.on('browser-window-created', onWindow);
  const existing = getWindow();
  if (existing !== null && !existing.isDestroyed()) watch(existing.webContents);

  const onReply = (event: IpcMainEvent, rid: unknown, result: unknown): void => {
    if (!trusted(event, 'réponse')) return;
    const page = pages.get(event.sender.id);
    if (page === undefined || typeof rid !== 'number') return;
    const resolve = page.pending.get(rid);
    // Unknown or late (the core stopped waiting): nothing to answer.
    if (resolve === undefined) return;
    page.pending.delete(rid);
    if (jsonLength(result) > MAX_RENDERER_REPLY_BYTES) {
      warn(`IPC : réponse de l’écran trop volumineuse, ignorée`);
      return resolve(
        fail('invalid_argument', `Réponse de l’écran trop volumineuse (max ${MAX_RENDERER_REPLY_BYTES} octets)`),
      );
    }
    // The envelope is checked here, the value by the renderer link with the request's result schema.
    const reply = rendererReplySchema.safeParse(result);
    resolve(reply.success ? reply.data : fail('internal', 'Réponse de l’écran mal formée.'));
  };
  const onReady = (event: IpcMainEvent, flags: unknown): void => {
    if (!trusted(event, 'disponibilité')) return;
    const parsed = readyFlagsSchema.safeParse(flags);
    if (!parsed.success) return warn('IPC : déclaration de disponibilité invalide, ignorée');
    watch(event.sender);
    (pages.get(event.sender.id) ?? attachPage(event.sender))?.attachment.ready(parsed.data);
  };
  ipcMain.on(channels.rendererReply, onReply);
  ipcMain.on(channels.rendererReady, onReady);

  const off = core.onEvent((event: CoreEvent) => {
    const window = getWindow();
    if (window !== null && !window.isDestroyed()) window.webContents.send(channels.event, event);
  });
  return () => {
    disposed = true;
    off();
    ipcMain.removeHandler(channels.request);
    ipcMain.removeListener(channels.rendererReply, onReply);
    ipcMain.removeListener(channels.rendererReady, onReady);
    app.removeListener('browser-window-created', onWindow);
    for (const id of [...pages.keys()]) detachPage(id);
  };
};
