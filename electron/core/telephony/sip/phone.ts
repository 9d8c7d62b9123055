import { UserAgent, type Invitation, type LogLevel, type SessionDescriptionHandlerFactory } from 'sip.js';
import { backoffDelay } from './backoff.js';
import { telephonyConfigSchema, type TelephonyConfig, type TelephonyConfigInput } from '../config.js';
import { probeRegistrar } from './probe.js';
import { RegistrationClient } from './registration.js';
import { isNotableChange, type RegistrationState } from '../state.js';
import { sessionCount } from './sipjs-internals.js';
import { WsTransport } from './transport.js';

export interface SipPhone {
  /** The sip.js UA, for the calls module (Inviter, Invitation...). Do not start/stop it directly. */
  readonly userAgent: UserAgent;
  readonly config: TelephonyConfig;
  state(): RegistrationState;
  /** Each change of state or registrar (not each retry). Returns an unsubscribe function. */
  onState(listener: (state: RegistrationState) => void): () => void;
  /** Each incoming INVITE. Without any listener the INVITE is refused with 480. */
  onInvite(listener: (invitation: Invitation) => void): () => void;
  /** Unregister (RFC 3261 section 10.2.2), close the socket, stop the UA. Resolves when done. */
  stop(): Promise<void>;
  /**
   * A simulated drill (electron/core/drills): drop the connection as if the network had (true), and stay down
   * until told (false), then reconnect at once. The real network is never touched.
   */
  simulateLoss(on: boolean): void;
}

export interface SipPhoneDeps {
  sessionDescriptionHandlerFactory: SessionDescriptionHandlerFactory;
  /** Diagnostics (French). Never receives the password. */
  log?: (message: string) => void;
  /** SIP trace: every message sent (→) and received (←). Digest responses appear, passwords never. */
  trace?: (direction: '→' | '←', message: string) => void;
  /** For deterministic tests of the jitter. */
  random?: () => number;
}

type SessionEnd = { kind: 'lost'; reason: string } | { kind: 'primary' } | { kind: 'stop' };

/** A registration that held this long counts as working: losing it retries at once, without backoff. */
const STABLE_MS = 10_000;

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * A registered SIP position on sip.js under Node. It connects to the first registrar of the ordered list that
 * answers, REGISTERs on every connection (a restarted registrar has forgotten us), watches the socket with
 * WebSocket ping/pong, reconnects with capped exponential backoff and jitter, fails over down the list and
 * goes back to the primary as soon as it answers again. state() is the truth, not sip.js's belief.
 */
export const createSipPhone = (input: TelephonyConfigInput, deps: SipPhoneDeps): SipPhone => {
  const config = telephonyConfigSchema.parse(input);
  const log = deps.log ?? (() => undefined);
  const random = deps.random ?? Math.random;
  const registrars = config.registrars;
  const primary = registrars[0] ?? '';
  const aor = UserAgent.makeURI(config.account.aor);
  if (aor === undefined) throw new Error(`AOR invalide : ${config.account.aor}`);

  let current: RegistrationState = { state: 'connecting', registrar: primary, detail: 'démarrage' };
  const stateListeners = new Set<(state: RegistrationState) => void>();
  const inviteListeners = new Set<(invitation: Invitation) => void>();
  const setState = (next: RegistrationState): void => {
    const notable = isNotableChange(current, next);
    current = next;
    if (!notable) return;
    log(`téléphonie : ${next.state} ${next.registrar ?? ''} — ${next.detail}`);
    for (const listener of [...stateListeners]) {
      try {
        listener(next);
      } catch (error) {
        log(`écouteur d'état en erreur : ${message(error)}`);
      }
    }
  };

  const transportOptions = {
    server: primary,
    pingIntervalMs: config.pingIntervalMs,
    pongTimeoutMs: config.pongTimeoutMs,
    connectTimeoutMs: config.connectTimeoutMs,
    log,
    ...(deps.trace ? { trace: deps.trace } : {}),
  };
  const transports: WsTransport[] = [];
  class PhoneTransport extends WsTransport {
    constructor() {
      super(transportOptions);
      transports.push(this);
    }
  }

  let endSession: ((end: SessionEnd) => void) | undefined;
  const userAgent = new UserAgent({
    uri: aor,
    authorizationUsername: config.account.authUser ?? aor.user ?? '',
    ...(config.account.password !== undefined ? { authorizationPassword: config.account.password } : {}),
    ...(config.account.displayName !== undefined ? { displayName: config.account.displayName } : {}),
    transportConstructor: PhoneTransport,
    sessionDescriptionHandlerFactory: deps.sessionDescriptionHandlerFactory,
    // Only the bridge handler builds an RTCPeerConnection; sip.js's default ICE server is a public STUN host.
    sessionDescriptionHandlerFactoryOptions: { peerConnectionConfiguration: { iceServers: config.iceServers } },
    // Callers may wait in the queue longer than sip.js's default 60 s before it answers 480 by itself.
    noAnswerTimeout: 3_600,
    userAgentString: 'Vigie (sip.js 0.21.2)',
    logBuiltinEnabled: false,
    logConfiguration: false,
    logLevel: 'warn' satisfies LogLevel,
    logConnector: (level, category, _label, content) => log(`sip.js ${level} ${category} : ${content}`),
    delegate: {
      onInvite: (invitation) => {
        if (inviteListeners.size === 0) {
          invitation
            .reject({ statusCode: 480 })
            .catch((error: unknown) => log(`refus 480 impossible : ${message(error)}`));
          return;
        }
        for (const listener of [...inviteListeners]) {
          try {
            listener(invitation);
          } catch (error) {
            log(`écouteur d'INVITE en erreur : ${message(error)}`);
          }
        }
      },
      onDisconnect: (error) => endSession?.({ kind: 'lost', reason: error?.message ?? 'connexion fermée' }),
    },
  });
  const transport = transports[0];
  if (transport === undefined) throw new Error('transport SIP non créé');
  const registration = new RegistrationClient(userAgent, aor, config.registerExpires);

  let stopped = false;
  let simulatedLoss = false;
  let wakeUp: (() => void) | undefined;
  const pause = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        wakeUp = undefined;
        resolve();
      }
      wakeUp = done;
    });

  let uaStarted = false;
  const connect = async (url: string): Promise<void> => {
    transport.setServer(url);
    if (!uaStarted) {
      uaStarted = true;
      await userAgent.start();
    } else {
      await transport.connect();
    }
  };

  /** One connection: connect, REGISTER, then serve until it is lost, the primary is back, or stop(). */
  const session = async (index: number): Promise<{ registered: boolean; lastedMs: number; end: SessionEnd }> => {
    const url = registrars[index] ?? primary;
    // Timers and replies of this connection may fire after it ended: they may only end their own session.
    let over = false;
    let resolveEnded: (end: SessionEnd) => void = () => undefined;
    const ended = new Promise<SessionEnd>((resolve) => {
      resolveEnded = resolve;
    });
    const endThis = (end: SessionEnd): void => {
      if (!over) resolveEnded(end);
    };
    endSession = endThis;
    try {
      await connect(url);
    } catch (error) {
      return {
        registered: false,
        lastedMs: 0,
        end: { kind: 'lost', reason: `${url} injoignable : ${message(error)}` },
      };
    }
    const first = await Promise.race([registration.register(config.registerTimeoutMs), ended]);
    if (!('ok' in first) || !first.ok) {
      registration.abandon();
      await transport.disconnect().catch(() => undefined);
      const reason = 'ok' in first ? `${url} : ${first.reason}` : first.kind === 'lost' ? first.reason : 'arrêt';
      return { registered: false, lastedMs: 0, end: 'ok' in first ? { kind: 'lost', reason } : first };
    }
    const registeredAt = Date.now();
    setState({ state: 'registered', registrar: url, detail: `enregistré (expire dans ${first.expires} s)` });

    // Refresh before expiry (RFC 3261 section 10.2.4); a refused or unanswered refresh means we are not registered.
    let refreshTimer: NodeJS.Timeout | undefined;
    const scheduleRefresh = (expires: number): void => {
      refreshTimer = setTimeout(
        () => {
          void registration.register(config.registerTimeoutMs).then((result) => {
            if (over) return;
            if (result.ok) scheduleRefresh(result.expires);
            else endThis({ kind: 'lost', reason: `rafraîchissement : ${result.reason}` });
          });
        },
        Math.max(1_000, expires * 1_000 * 0.85),
      );
    };
    scheduleRefresh(first.expires);

    // On a secondary, check the primary now and then; come back as soon as it completes a handshake.
    let probing = false;
    const probeTimer =
      index === 0
        ? undefined
        : setInterval(() => {
            // Never while a call is up: its dialog lives on this connection (RFC 7118 section 5; Kamailio routes
            // in-dialog requests to the socket that carried the INVITE), switching would cut it.
            if (probing || sessionCount(userAgent) > 0) return;
            probing = true;
            void probeRegistrar(primary, config.connectTimeoutMs).then((up) => {
              probing = false;
              if (up) endThis({ kind: 'primary' });
            });
          }, config.primaryProbeMs);

    const end = await ended;
    over = true;
    endSession = undefined;
    clearTimeout(refreshTimer);
    clearInterval(probeTimer);
    if (end.kind !== 'lost') {
      // Leaving on purpose: remove our binding so this registrar stops routing calls to a closed socket.
      if (transport.isConnected()) await registration.unregister(1_000);
    }
    registration.abandon();
    await transport.disconnect().catch(() => undefined);
    return { registered: true, lastedMs: Date.now() - registeredAt, end };
  };

  const supervise = async (): Promise<void> => {
    let index = 0;
    let round = 0;
    let everRegistered = false;
    while (!stopped) {
      // A simulated outage holds the stack here, disconnected, until the drill restores it (wakeUp).
      while (simulatedLoss && !stopped) await pause(60_000);
      const { registered, lastedMs, end } = await session(index);
      if (stopped || end.kind === 'stop') break;
      if (end.kind === 'primary') {
        log(`${primary} répond de nouveau : retour sur le registrar principal`);
        index = 0;
        round = 0;
        continue;
      }
      if (registered) {
        everRegistered = true;
        setState({ state: 'lost', registrar: registrars[index] ?? primary, detail: end.reason });
        if (lastedMs >= STABLE_MS) {
          // Lost a registration that had held: start a fresh pass from the primary at once.
          index = 0;
          round = 0;
          continue;
        }
        // Dropped right after registering: count it as a failed attempt on this registrar (fall through), so a
        // server that accepts then drops us does not make us hammer it; the next registrar is still tried at once.
      }
      const failed = registrars[index] ?? primary;
      const lostRegistrar = current.state === 'lost' || current.state === 'registered' ? current.registrar : primary;
      index += 1;
      if (index < registrars.length) {
        setState({
          state: everRegistered ? 'lost' : 'connecting',
          registrar: lostRegistrar,
          detail: `${end.reason} ; essai de ${registrars[index]}`,
        });
        continue;
      }
      index = 0;
      const delay = backoffDelay(round, config.backoff.initialMs, config.backoff.maxMs, random);
      round += 1;
      setState({
        state: everRegistered ? 'lost' : 'connecting',
        registrar: lostRegistrar,
        detail: `${end.reason} (${failed}) ; nouvel essai dans ${delay} ms`,
      });
      await pause(delay);
    }
  };

  const running = supervise().catch((error: unknown) => {
    log(`supervision SIP arrêtée sur erreur : ${message(error)}`);
    setState({ state: 'lost', registrar: current.registrar, detail: `erreur interne : ${message(error)}` });
  });

  let stopping: Promise<void> | undefined;
  return {
    userAgent,
    config,
    state: () => ({ ...current }),
    onState: (listener) => {
      stateListeners.add(listener);
      return () => stateListeners.delete(listener);
    },
    onInvite: (listener) => {
      inviteListeners.add(listener);
      return () => inviteListeners.delete(listener);
    },
    simulateLoss: (on) => {
      if (simulatedLoss === on) return;
      simulatedLoss = on;
      if (on) endSession?.({ kind: 'lost', reason: 'EXERCICE : coupure simulée de la téléphonie IP' });
      else wakeUp?.();
    },
    stop: () => {
      stopping ??= (async () => {
        stopped = true;
        endSession?.({ kind: 'stop' });
        wakeUp?.();
        await running;
        await userAgent.stop().catch((error: unknown) => log(`arrêt sip.js : ${message(error)}`));
        setState({ state: 'disabled', registrar: null, detail: 'arrêté' });
      })();
      return stopping;
    },
  };
};
