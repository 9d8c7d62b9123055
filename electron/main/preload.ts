/**
 * The only bridge between the page and the main process. Sandboxed (no Node), so it is bundled to one
 * CommonJS file and imports nothing but `electron` and the channel names. It exposes two functions,
 * never ipcRenderer itself (https://www.electronjs.org/docs/latest/tutorial/context-isolation).
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { channels } from '../contract/channels.js';
import type { CoreEvent, VigieBridge } from '../contract/index.js';

const bridge = {
  request: (method: string, args: unknown) => ipcRenderer.invoke(channels.request, method, args),
  onEvent: (listener: (event: CoreEvent) => void) => {
    const handler = (_event: IpcRendererEvent, payload: CoreEvent) => listener(payload);
    ipcRenderer.on(channels.event, handler);
    return () => {
      ipcRenderer.removeListener(channels.event, handler);
    };
  },
} satisfies VigieBridge;

contextBridge.exposeInMainWorld('vigie', bridge);
