/**
 * The browser host: serves the built renderer on 127.0.0.1 and carries the contract over a WebSocket
 * guarded by a per-launch token. It is how the console runs where the Electron binary cannot, and
 * what the e2e tests drive. Nothing listens on any other interface.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';
import { fail, MAX_RENDERER_REPLY_BYTES, MAX_REQUEST_BYTES, type CoreEvent, type Result } from '../contract/index.js';
import { clientFrameSchema, TOKEN_PARAM, WS_PATH, type ServerFrame } from '../contract/wire.js';
import type { CoreEndpoint, RendererPeer } from '../core/kernel/renderer-link.js';
import { createExportFiles } from '../core/logbook/export/downloads.js';
import { securityHeaders } from './csp.js';
import { DOWNLOAD_PREFIX, serveDownload } from './download.js';
import { resolveStatic, sendFile } from './static.js';

export interface HostOptions {
  core: CoreEndpoint;
  rendererDir: string;
  port?: number;
  /** Fixed token for tests that need one; a random one per launch otherwise. */
  token?: string;
  log?: (message: string) => void;
  /** Bytes queued for one page beyond which it is dropped as a slow reader; default MAX_BUFFERED_BYTES. */
  maxBufferedBytes?: number;
  /** Pages connected at once at most; default MAX_CONNECTIONS. */
  maxConnections?: number;
}

/**
 * A page that does not read its frames (hung, or hostile) would make the host queue every event for it
 * without bound. Past 4 MiB queued — thousands of frames, minutes of a busy room — it is dropped and its
 * memory freed; a live page reconnects and reloads its state.
 */
export const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;
/** A position has a handful of screens; more connections than this are refused (503). */
export const MAX_CONNECTIONS = 16;

export interface Host {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

const HOST = '127.0.0.1';

const sameSecret = (given: string, expected: string): boolean => {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
};

export const startHost = async (options: HostOptions): Promise<Host> => {
  const token = options.token ?? randomBytes(32).toString('base64url');
  const log = options.log ?? (() => undefined);
  const maxBufferedBytes = options.maxBufferedBytes ?? MAX_BUFFERED_BYTES;
  const maxConnections = options.maxConnections ?? MAX_CONNECTIONS;
  let port = options.port ?? 0;
  const allowedHosts = (): string[] => [`${HOST}:${port}`, `localhost:${port}`];
  const allowedOrigins = (): string[] => allowedHosts().map((h) => `http://${h}`);
  // Finished exports, fetched by the page as files (download.ts) rather than shown as a path on this disk.
  const exports = createExportFiles();
  const stopExports = options.core.onEvent((event) => exports.onEvent(event));

  const server = createServer((req, res) => {
    // Refuse other Host names: a page on another site must not reach us through DNS rebinding.
    if (!allowedHosts().includes(req.headers.host ?? '')) {
      res.writeHead(421, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Hôte refusé');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return;
    }
    const path = new URL(req.url ?? '/', `http://${HOST}`).pathname;
    if (path.startsWith(DOWNLOAD_PREFIX))
      return serveDownload(req, res, path, exports, (given) => sameSecret(given, token));
    const file = resolveStatic(options.rendererDir, path);
    if (file === null) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Introuvable');
      return;
    }
    sendFile(res, file, securityHeaders([`ws://${HOST}:${port}`, `ws://localhost:${port}`]));
  });

  const wss = new WebSocketServer({
    server,
    path: WS_PATH,
    maxPayload: MAX_REQUEST_BYTES,
    verifyClient: ({ req }: { req: IncomingMessage }, done: (ok: boolean, code?: number, message?: string) => void) => {
      const given = new URL(req.url ?? '', `http://${HOST}`).searchParams.get(TOKEN_PARAM) ?? '';
      const origin = req.headers.origin;
      if (!allowedHosts().includes(req.headers.host ?? '')) return done(false, 421, 'Host refused');
      if (origin !== undefined && !allowedOrigins().includes(origin)) return done(false, 403, 'Origin refused');
      if (!sameSecret(given, token)) {
        log(`connexion WebSocket refusée (jeton absent ou faux) depuis ${req.socket.remoteAddress ?? '?'}`);
        return done(false, 401, 'Token required');
      }
      if (wss.clients.size >= maxConnections) {
        log(`connexion WebSocket refusée : déjà ${wss.clients.size} écrans connectés (${maxConnections} au plus)`);
        return done(false, 503, 'Too many connections');
      }
      done(true);
    },
  });

  const send = (socket: WebSocket, frame: ServerFrame): void => {
    if (socket.readyState !== socket.OPEN) return;
    socket.send(JSON.stringify(frame));
    // bufferedAmount: bytes handed to ws that the kernel has not taken yet, i.e. what this page owes us.
    if (socket.bufferedAmount > maxBufferedBytes) {
      log(`écran déconnecté : ${socket.bufferedAmount} octets en attente de lecture (${maxBufferedBytes} au plus)`);
      socket.terminate();
    }
  };

  let nextSocket = 1;
  wss.on('connection', (socket) => {
    const unsubscribe = options.core.onEvent((event: CoreEvent) => send(socket, { event }));
    // This socket is one renderer for the core's requests (contract/renderer.ts): `rid` numbers them.
    const pending = new Map<number, (result: Result<unknown>) => void>();
    let nextRid = 1;
    const peer: RendererPeer = {
      id: `ws-${nextSocket++}`,
      request: (method, args, signal) =>
        new Promise((resolve) => {
          if (socket.readyState !== socket.OPEN) {
            return resolve(fail('unavailable', 'Liaison avec l’écran fermée.'));
          }
          const rid = nextRid++;
          pending.set(rid, resolve);
          // The core stopped waiting (timeout): a late answer will find no one and be dropped.
          signal?.addEventListener('abort', () => pending.delete(rid), { once: true });
          send(socket, { rid, method, args });
        }),
    };
    const attachment = options.core.renderer.attach(peer);
    socket.on('close', () => {
      unsubscribe();
      attachment.detach();
      for (const resolve of pending.values()) resolve(fail('unavailable', 'Liaison avec l’écran fermée.'));
      pending.clear();
    });
    // Oversized or malformed frames surface here; ws then closes the socket (1009/1002). Without a
    // listener the error would be thrown and stop the host.
    socket.on('error', (error) => log(`WebSocket fermée sur erreur : ${error.message}`));
    socket.on('message', (data, isBinary) => {
      if (isBinary) return socket.close(1003, 'Texte JSON attendu');
      const text = data.toString();
      let frame: unknown;
      try {
        frame = JSON.parse(text);
      } catch {
        return socket.close(1007, 'JSON invalide');
      }
      const parsed = clientFrameSchema.safeParse(frame);
      if (!parsed.success) return socket.close(1008, 'Trame invalide');
      const message = parsed.data;
      if ('ready' in message) return attachment.ready(message.ready);
      if ('rid' in message) {
        // Replies are smaller than requests: a page that sends more is broken or hostile.
        if (Buffer.byteLength(text) > MAX_RENDERER_REPLY_BYTES) return socket.close(1009, 'Réponse trop volumineuse');
        const resolve = pending.get(message.rid);
        pending.delete(message.rid);
        return resolve?.(message.result);
      }
      const { id, method, args } = message;
      void options.core.request(method, args).then((result) => send(socket, { id, result }));
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, HOST, () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('adresse d’écoute inattendue');
  port = address.port;

  return {
    url: `http://${HOST}:${port}/#${TOKEN_PARAM}=${token}`,
    port,
    token,
    async close() {
      stopExports();
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
};
