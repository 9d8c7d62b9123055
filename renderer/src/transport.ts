/**
 * The renderer's only way out: Electron IPC when the preload exposed `window.vigie`, otherwise the
 * browser host's WebSocket (token from the URL fragment, which never reaches a server log).
 */
import type {
  ArgsOf,
  CoreEvent,
  ExportSaved,
  Method,
  ReadyFlags,
  RendererServe,
  Result,
  ResultOf,
  VigieClient,
  VigiePageBridge,
} from '../../electron/contract/index.js';
import {
  LINK_PATH,
  rendererRequestFrameSchema,
  TOKEN_HEADER,
  TOKEN_PARAM,
  WS_PATH,
  type ServerFrame,
} from '../../electron/contract/wire.js';
import { downloadBlob } from './download.js';
import { createRendererServer } from './rendererRequests.js';

declare global {
  interface Window {
    vigie?: VigiePageBridge;
  }
}

/** `refused`: the host is up again but refuses this page's token — it was restarted (a new token per launch). */
export type LinkState = 'connecting' | 'open' | 'closed' | 'refused';

/** How long a request made while the link is down waits for it to come back before failing. */
export const OFFLINE_WAIT_MS = 3000;

const unavailable = (message: string): Result<never> => ({ ok: false, error: { code: 'unavailable', message } });

/** WebSocket bridge with automatic reconnection; pending requests fail clearly when the link drops. */
export const createWebSocketBridge = (onLinkState: (state: LinkState) => void): VigiePageBridge => {
  const token = new URLSearchParams(window.location.hash.slice(1)).get(TOKEN_PARAM) ?? '';
  const url = `ws://${window.location.host}${WS_PATH}?${TOKEN_PARAM}=${encodeURIComponent(token)}`;
  // The new address of a restarted host differs from the old one by its fragment only, which the browser
  // does not reload for (https://html.spec.whatwg.org/multipage/browsing-the-web.html#scroll-to-fragid):
  // a new token starts the page again, with it.
  window.addEventListener('hashchange', () => {
    if ((new URLSearchParams(window.location.hash.slice(1)).get(TOKEN_PARAM) ?? '') !== token) window.location.reload();
  });
  const listeners = new Set<(event: CoreEvent) => void>();
  const pending = new Map<number, (result: Result<unknown>) => void>();
  let nextId = 1;
  let socket: WebSocket | null = null;
  let opened: Promise<WebSocket> | null = null;
  let retryMs = 250;
  // Set once the host answered while refusing the socket (a restart): said until a socket opens again.
  let restarted = false;
  // The core's requests to this page, and what the page declared: declared again on every reconnection,
  // since the host sees each socket as a new renderer.
  let serving: RendererServe | null = null;
  let flags: ReadyFlags | null = null;

  const answerCore = (ws: WebSocket, frame: unknown): void => {
    const parsed = rendererRequestFrameSchema.safeParse(frame);
    if (!parsed.success) return;
    const { rid, method, args } = parsed.data;
    const handler = serving;
    const answer: Promise<Result<unknown>> =
      handler === null ? Promise.resolve(unavailable('Console pas encore prête')) : handler(method, args);
    void answer.then((result) => {
      if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify({ rid, result }));
    });
  };

  const connect = (): Promise<WebSocket> => {
    opened ??= new Promise<WebSocket>((resolve) => {
      onLinkState(restarted ? 'refused' : 'connecting');
      const ws = new WebSocket(url);
      ws.onopen = () => {
        socket = ws;
        retryMs = 250;
        restarted = false;
        if (flags !== null) ws.send(JSON.stringify({ ready: flags }));
        onLinkState('open');
        resolve(ws);
      };
      ws.onmessage = (message: MessageEvent<string>) => {
        const frame = JSON.parse(message.data) as ServerFrame;
        if ('event' in frame) {
          for (const l of listeners) l(frame.event);
          return;
        }
        if ('rid' in frame) return answerCore(ws, frame);
        pending.get(frame.id)?.(frame.result);
        pending.delete(frame.id);
      };
      ws.onclose = () => {
        const wasOpen = socket === ws;
        socket = null;
        opened = null;
        if (!restarted) onLinkState('closed');
        // Refused before opening: the browser does not tell a WebSocket's 401 apart from a host that is down
        // (RFC 6455 §4.1 leaves the page only "the connection failed"), so the page asks the host whether it
        // still knows this token; a 401 there means it was started again, with another one.
        if (!wasOpen && !restarted)
          void tokenRefused(token).then((refused) => {
            if (!refused || socket !== null) return;
            restarted = true;
            onLinkState('refused');
          });
        for (const [id, reply] of pending) {
          reply(unavailable('Liaison avec le poste interrompue ; la requête n’a peut-être pas abouti.'));
          pending.delete(id);
        }
        setTimeout(() => void connect(), retryMs);
        retryMs = Math.min(retryMs * 2, 5000);
      };
    });
    return opened;
  };
  void connect();

  return {
    async request(method, args) {
      // Link down: wait a moment for it to come back, then say plainly that nothing was sent.
      const ws =
        socket ??
        (await Promise.race([
          connect(),
          new Promise<null>((resolve) => setTimeout(() => resolve(null), OFFLINE_WAIT_MS)),
        ]));
      if (ws === null)
        return unavailable('Liaison avec le poste interrompue : rien n’a été envoyé. Réessayez quand elle revient.');
      const id = nextId++;
      return new Promise((resolve) => {
        pending.set(id, resolve);
        ws.send(JSON.stringify({ id, method, args }));
      });
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    serve(handler) {
      serving = handler;
      return () => {
        if (serving === handler) serving = null;
      };
    },
    ready(next) {
      flags = { mediaOwner: next.mediaOwner };
      if (socket?.readyState === WebSocket.OPEN) socket.send(JSON.stringify({ ready: flags }));
    },
    saveExport: (exportId) => downloadExport(token, exportId),
  };
};

/** The host is up and says this page's token is not its launch's (electron/host/server.ts, LINK_PATH). */
const tokenRefused = async (token: string): Promise<boolean> => {
  try {
    return (await fetch(LINK_PATH, { cache: 'no-store', headers: { [TOKEN_HEADER]: token } })).status === 401;
  } catch {
    return false;
  }
};

/**
 * Fetches a finished export from the host (token in a header, electron/host/download.ts) and hands it to
 * the browser as a download: the file lands in the person's downloads, not as a path on the position.
 */
const downloadExport = async (token: string, exportId: string): Promise<Result<ExportSaved>> => {
  let response: Response;
  try {
    response = await fetch(`/export/${encodeURIComponent(exportId)}`, { headers: { [TOKEN_HEADER]: token } });
  } catch {
    return unavailable('Téléchargement impossible : liaison avec le poste interrompue.');
  }
  if (!response.ok) return unavailable(`Téléchargement refusé (${response.status}) : ${await response.text()}`);
  const name = /filename\*=UTF-8''([^;]+)/.exec(response.headers.get('Content-Disposition') ?? '')?.[1];
  const file = name === undefined ? `main-courante-${exportId.slice(0, 8)}` : decodeURIComponent(name);
  downloadBlob(await response.blob(), file);
  return { ok: true, value: { name: file, saved: true } };
};

export const createClient = (bridge: VigiePageBridge): VigieClient => ({
  // The bridge is untyped on the wire; the core answers `method` with ResultOf<method> (contract/index.ts).
  call: <M extends Method>(method: M, args: ArgsOf<M>) => bridge.request(method, args) as Promise<Result<ResultOf<M>>>,
  onEvent: (listener) => bridge.onEvent(listener),
  serve(handlers, flags) {
    const off = bridge.serve(createRendererServer(handlers));
    bridge.ready(flags);
    return off;
  },
  ...(bridge.saveExport !== undefined ? { saveExport: bridge.saveExport.bind(bridge) } : {}),
});
