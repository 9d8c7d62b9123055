import { performance } from 'node:perf_hooks';
import { EmitterImpl, TransportState, type Emitter, type Transport } from 'sip.js';
import WebSocket from 'ws';

export interface WsTransportOptions {
  /** The registrar to connect to next; the phone changes it between connections (failover). */
  server: string;
  /** WebSocket ping period (RFC 6455 section 5.5.2). */
  pingIntervalMs: number;
  /** A ping without pong within this delay means the server is gone or hung: the socket is terminated. */
  pongTimeoutMs: number;
  /** Limit for the TCP connect + HTTP upgrade (a SIGSTOPped server accepts TCP but never upgrades). */
  connectTimeoutMs: number;
  log: (message: string) => void;
  /** SIP trace sink: every message sent ('→') or received ('←'). */
  trace?: (direction: '→' | '←', message: string) => void;
}

/** RFC 7118: SIP over WebSocket uses the "sip" subprotocol. */
const SUBPROTOCOL = 'sip';
const CLOSE_GRACE_MS = 1_000;
/** A pong timer that fires this much past its deadline tells of a busy event loop, not of a silent server. */
const LATE_TIMER_MS = 50;
/** Received frames are decoded leniently: a hostile peer's invalid UTF-8 becomes U+FFFD instead of closing our socket. */
const decoder = new TextDecoder('utf-8', { fatal: false });

/**
 * Control characters other than HTAB, CR and LF are not allowed in SIP text (RFC 3261 §25.1 grammar), and
 * sip.js drops a message that carries one without answering: an emergency call would vanish without a
 * trace. Replacing each with U+FFFD (one UTF-16 unit, so the Content-Length slicing is unchanged) lets the
 * call be offered and logged, with the odd character visible.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point of this pattern
const FORBIDDEN_CONTROLS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g;
export const sanitizeSipText = (text: string): string => text.replace(FORBIDDEN_CONTROLS, '\uFFFD');

/**
 * sip.js transport over the `ws` package (Node has no WebSocket in v20) with liveness: the built-in sip.js
 * transport never notices a hung server and its CRLF keep-alive never times out (lab-notes/README.md). Each
 * connect() opens ONE WebSocket to `server`; loss is reported through onDisconnect(error) and never hidden:
 * recovery (backoff, failover, REGISTER again) belongs to the phone, as the sip.js Transport contract asks.
 */
export class WsTransport implements Transport {
  onConnect: (() => void) | undefined = undefined;
  onDisconnect: ((error?: Error) => void) | undefined = undefined;
  onMessage: ((message: string) => void) | undefined = undefined;

  private currentState: TransportState = TransportState.Disconnected;
  private readonly emitter = new EmitterImpl<TransportState>();
  private ws: WebSocket | undefined;
  private connecting: { promise: Promise<void>; resolve: () => void; reject: (error: Error) => void } | undefined;
  private disconnecting: Promise<void> | undefined;
  private pingTimer: NodeJS.Timeout | undefined;
  private pongTimer: NodeJS.Timeout | undefined;
  private failure: string | undefined;

  constructor(private readonly options: WsTransportOptions) {}

  get state(): TransportState {
    return this.currentState;
  }

  get stateChange(): Emitter<TransportState> {
    return this.emitter;
  }

  /** Via sent-protocol (RFC 7118 section 5.2): WS or WSS depending on the server in use. */
  get protocol(): string {
    return this.options.server.startsWith('wss:') ? 'WSS' : 'WS';
  }

  get server(): string {
    return this.options.server;
  }

  /** Choose the registrar for the next connect(); refused while a socket is open. */
  setServer(server: string): void {
    if (this.currentState !== TransportState.Disconnected)
      throw new Error('changement de serveur pendant une connexion');
    this.options.server = server;
  }

  isConnected(): boolean {
    return this.currentState === TransportState.Connected;
  }

  connect(): Promise<void> {
    if (this.currentState === TransportState.Connected) return Promise.resolve();
    if (this.currentState === TransportState.Connecting && this.connecting) return this.connecting.promise;
    if (this.currentState === TransportState.Disconnecting) return Promise.reject(new Error('déconnexion en cours'));
    let resolve: () => void = () => undefined;
    let reject: (error: Error) => void = () => undefined;
    const promise = new Promise<void>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    // The UA may not handle this rejection itself (start() failing is expected while a server is down).
    promise.catch(() => undefined);
    this.connecting = { promise, resolve, reject };
    this.failure = undefined;
    this.transition(TransportState.Connecting);
    const server = this.options.server;
    const ws = new WebSocket(server, SUBPROTOCOL, {
      handshakeTimeout: this.options.connectTimeoutMs,
      // We decode ourselves (see `decoder`): ws would otherwise close with 1007 on invalid UTF-8 (RFC 6455 section 8.1).
      skipUTF8Validation: true,
      perMessageDeflate: false,
    });
    this.ws = ws;
    ws.on('open', () => this.onOpen(ws));
    ws.on('message', (data: WebSocket.RawData) => this.onData(ws, data));
    ws.on('pong', () => this.onPong(ws));
    ws.on('error', (error: Error) => {
      if (ws === this.ws) this.failure ??= error.message;
    });
    ws.on('close', (code: number) => this.onClose(ws, code));
    return promise;
  }

  disconnect(): Promise<void> {
    if (this.currentState === TransportState.Disconnected) return Promise.resolve();
    if (this.currentState === TransportState.Disconnecting && this.disconnecting) return this.disconnecting;
    const ws = this.ws;
    const wasConnecting = this.currentState === TransportState.Connecting;
    this.stopLiveness();
    this.transition(TransportState.Disconnecting);
    if (wasConnecting) this.settleConnect(new Error('connexion abandonnée'));
    this.disconnecting = new Promise<void>((resolve) => {
      if (ws === undefined) {
        this.ws = undefined;
        this.transition(TransportState.Disconnected);
        resolve();
        return;
      }
      const force = setTimeout(() => ws.terminate(), CLOSE_GRACE_MS);
      ws.once('close', () => {
        clearTimeout(force);
        resolve();
      });
      if (wasConnecting) ws.terminate();
      else ws.close(1000);
    });
    return this.disconnecting;
  }

  dispose(): Promise<void> {
    return this.disconnect();
  }

  send(message: string): Promise<void> {
    const ws = this.ws;
    if (this.currentState !== TransportState.Connected || ws === undefined)
      return Promise.reject(new Error('non connecté'));
    this.options.trace?.('→', message);
    return new Promise((resolve, reject) => ws.send(message, (error) => (error ? reject(error) : resolve())));
  }

  private onOpen(ws: WebSocket): void {
    if (ws !== this.ws || this.currentState !== TransportState.Connecting) return;
    this.transition(TransportState.Connected);
    this.startLiveness(ws);
    this.settleConnect();
    this.onConnect?.();
  }

  private onData(ws: WebSocket, data: WebSocket.RawData): void {
    if (ws !== this.ws || this.currentState !== TransportState.Connected) return;
    const buffer = Array.isArray(data)
      ? Buffer.concat(data)
      : Buffer.from(data instanceof ArrayBuffer ? new Uint8Array(data) : data);
    const text = sanitizeSipText(decoder.decode(buffer));
    if (/^(\r\n)+$/.test(text)) return; // RFC 5626 CRLF keep-alive answer
    this.options.trace?.('←', text);
    try {
      this.onMessage?.(text);
    } catch (error) {
      // A message sip.js chokes on must not take the connection (and the registration) down with it.
      this.options.log(
        `message SIP ignoré (erreur de traitement) : ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }

  private onPong(ws: WebSocket): void {
    if (ws !== this.ws) return;
    if (this.pongTimer !== undefined) clearTimeout(this.pongTimer);
    this.pongTimer = undefined;
  }

  private onClose(ws: WebSocket, code: number): void {
    if (ws !== this.ws) return;
    this.ws = undefined;
    this.stopLiveness();
    const reason = this.failure ?? `WebSocket fermée (code ${code})`;
    const previous = this.currentState;
    if (previous === TransportState.Disconnected) return;
    this.transition(TransportState.Disconnected);
    if (previous === TransportState.Connecting) this.settleConnect(new Error(reason));
    if (previous === TransportState.Connected) this.onDisconnect?.(new Error(reason));
    if (previous === TransportState.Disconnecting) this.disconnecting = undefined;
  }

  private startLiveness(ws: WebSocket): void {
    this.pingTimer = setInterval(() => {
      if (this.pongTimer !== undefined) return; // the previous ping is still within its deadline
      let deadline = performance.now() + this.options.pongTimeoutMs;
      const check = (): void => {
        this.pongTimer = undefined;
        if (ws !== this.ws) return;
        // Our own event loop was busy (e.g. a burst of INVITEs): the timer ran late and the pong may be
        // waiting unread in the socket. A busy process is not a dead server: grant the time we lost.
        const late = performance.now() - deadline;
        if (late > LATE_TIMER_MS) {
          deadline = performance.now() + late;
          this.pongTimer = setTimeout(check, late);
          return;
        }
        this.failure = `pas de pong en ${this.options.pongTimeoutMs} ms`;
        this.options.log(`${this.options.server} : ${this.failure}, connexion coupée`);
        ws.terminate(); // close() would wait for a closing handshake the hung server never sends
      };
      this.pongTimer = setTimeout(check, this.options.pongTimeoutMs);
      try {
        ws.ping();
      } catch {
        // The socket is already closing: its close event reports the loss.
      }
    }, this.options.pingIntervalMs);
  }

  private stopLiveness(): void {
    if (this.pingTimer !== undefined) clearInterval(this.pingTimer);
    if (this.pongTimer !== undefined) clearTimeout(this.pongTimer);
    this.pingTimer = undefined;
    this.pongTimer = undefined;
  }

  private settleConnect(error?: Error): void {
    const pending = this.connecting;
    this.connecting = undefined;
    if (pending === undefined) return;
    if (error) pending.reject(error);
    else pending.resolve();
  }

  private transition(next: TransportState): void {
    const previous = this.currentState;
    this.currentState = next;
    if (previous === TransportState.Connected && next === TransportState.Disconnecting) this.onDisconnect?.();
    if (next === TransportState.Disconnected) this.disconnecting = undefined;
    this.emitter.emit(next);
  }
}
