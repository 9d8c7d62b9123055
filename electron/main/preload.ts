/**
 * The only bridge between the page and the main process. Sandboxed (no Node), so it is bundled to one
 * CommonJS file and imports nothing but `electron` and the channel names. It exposes functions only,
 * never ipcRenderer itself (https://www.electronjs.org/docs/latest/tutorial/context-isolation): requests
 * and events (page → core), and `serve`/`ready` for the core's requests to the page (contract/renderer.ts).
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { channels } from '../contract/channels.js';
import type { CoreEvent, RendererServe, VigiePageBridge } from '../contract/index.js';

/** The page's one serving function; a second `serve` replaces it, so no request is answered twice. */
let serving: RendererServe | null = null;

ipcRenderer.on(channels.rendererRequest, (_event: IpcRendererEvent, rid: unknown, method: unknown, args: unknown) => {
  if (typeof rid !== 'number' || typeof method !== 'string') return;
  const handler = serving;
  const answer =
    handler === null
      ? Promise.resolve({ ok: false, error: { code: 'unavailable', message: 'Console pas encore prête' } })
      : handler(method, args).catch(() => ({
          ok: false,
          error: { code: 'internal', message: `Erreur de la console pendant ${method.slice(0, 100)}` },
        }));
  void answer.then((result) => ipcRenderer.send(channels.rendererReply, rid, result));
});

const bridge = {
  request: (method: string, args: unknown) => ipcRenderer.invoke(channels.request, method, args),
  onEvent: (listener: (event: CoreEvent) => void) => {
    const handler = (_event: IpcRendererEvent, payload: CoreEvent) => listener(payload);
    ipcRenderer.on(channels.event, handler);
    return () => {
      ipcRenderer.removeListener(channels.event, handler);
    };
  },
  serve: (handler: RendererServe) => {
    serving = handler;
    return () => {
      if (serving === handler) serving = null;
    };
  },
  // Only an id crosses: the main process finds the file and asks where to save it (export-save.ts).
  saveExport: (exportId: string) => ipcRenderer.invoke(channels.saveExport, String(exportId)),
  // Only the flag crosses: the page cannot send anything else on this channel through the bridge.
  ready: (flags: { mediaOwner: boolean }) =>
    ipcRenderer.send(channels.rendererReady, { mediaOwner: flags.mediaOwner === true }),
} satisfies VigiePageBridge;

contextBridge.exposeInMainWorld('vigie', bridge);
