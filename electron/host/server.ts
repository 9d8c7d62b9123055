/**
 * The browser host: serves the built renderer on 127.0.0.1 and carries the contract over a WebSocket
 * guarded by a per-launch token. It is how the console runs where the Electron binary cannot, and
 * what the e2e tests drive. Nothing listens on any other interface.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';
import { MAX_REQUEST_BYTES, type CoreEvent, type VigieBridge } from '../contract/index.js';
import { clientFrameSchema, TOKEN_PARAM, WS_PATH, type ServerFrame } from '../contract/wire.js';
import { securityHeaders } from './csp.js';
import { resolveStatic, sendFile } from './static.js';

export interface HostOptions {
  core: VigieBridge;
  rendererDir: string;
  port?: number;
  /** Fixed token for tests that need one; a random one per launch otherwise. */
  token?: string;
  log?: (message: string) => void;
}

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
  let port = options.port ?? 0;
  const allowedHosts = (): string[] => [`${HOST}:${port}`, `localhost:${port}`];
  const allowedOrigins = (): string[] => allowedHosts().map((h) => `http://${h}`);

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
      done(true);
    },
  });

  const send = (socket: WebSocket, frame: ServerFrame): void => {
    if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(frame));
  };

  wss.on('connection', (socket) => {
    const unsubscribe = options.core.onEvent((event: CoreEvent) => send(socket, { event }));
    socket.on('close', unsubscribe);
    // Oversized or malformed frames surface here; ws then closes the socket (1009/1002). Without a
    // listener the error would be thrown and stop the host.
    socket.on('error', (error) => log(`WebSocket fermée sur erreur : ${error.message}`));
    socket.on('message', (data, isBinary) => {
      if (isBinary) return socket.close(1003, 'Texte JSON attendu');
      let frame: unknown;
      try {
        frame = JSON.parse(data.toString());
      } catch {
        return socket.close(1007, 'JSON invalide');
      }
      const parsed = clientFrameSchema.safeParse(frame);
      if (!parsed.success) return socket.close(1008, 'Trame invalide');
      const { id, method, args } = parsed.data;
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
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
};
