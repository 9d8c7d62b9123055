/**
 * Entry point of the SIP child process (child_process.fork, or Electron's utilityProcess.fork): the only
 * process that runs sip.js. Whatever a caller sends can at worst end this process; the core's supervisor
 * (../supervisor.ts) sees it die or hang, logs it and starts a fresh one (docs/architecture.md, "Processes").
 */
import { performance } from 'node:perf_hooks';
import type { Session } from 'sip.js';
import { parseMessage, toChildSchema, type FromChild, type ToChild } from '../channel.js';
import { createChannelBridge, type ChannelBridge } from './channel-bridge.js';
import { bridgeMediaFactory, nullMediaFactory } from './media.js';
import { createSipPhone, type SipPhone } from './phone.js';
import { createSessions, type Sessions } from './sessions.js';

/** Exit code of a child that stopped on an error nobody caught (EX_SOFTWARE). */
const FATAL_EXIT = 70;

interface ParentPort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (message: unknown) => void): void;
}

/**
 * How this process talks to its parent: `process.send` under child_process.fork, `process.parentPort`
 * under Electron's utilityProcess (whose messages arrive as `{ data }` events).
 */
const parentPort = (): ParentPort => {
  const electronPort: unknown = Reflect.get(process, 'parentPort');
  if (
    typeof electronPort === 'object' &&
    electronPort !== null &&
    'postMessage' in electronPort &&
    'on' in electronPort
  ) {
    const port = electronPort as {
      postMessage(m: unknown): void;
      on(e: 'message', l: (event: { data: unknown }) => void): void;
    }; // shape of Electron's ParentPort (utilityProcess); this file must not import electron
    return { postMessage: (m) => port.postMessage(m), on: (_e, l) => port.on('message', (event) => l(event.data)) };
  }
  const send = process.send?.bind(process);
  if (send === undefined) throw new Error('processus SIP lancé sans canal vers le cœur');
  return { postMessage: (m) => void send(m), on: (_e, l) => void process.on('message', l) };
};

const port = parentPort();
// Typed by FromChild and bounded where built; the core parses every message it receives (channel.ts).
const post = (message: FromChild): void => port.postMessage(message);

const fatal = (reason: string): void => {
  try {
    post({ t: 'fatal', reason: reason.slice(0, 2_000) });
  } finally {
    // Let the message leave before exiting; the supervisor restarts us either way.
    setTimeout(() => process.exit(FATAL_EXIT), 50);
  }
};
process.on('uncaughtException', (error) => fatal(`exception non rattrapée : ${error.stack ?? error.message}`));
process.on('unhandledRejection', (reason) => fatal(`promesse rejetée non traitée : ${String(reason)}`));
// The core is gone (the IPC channel closed): nothing to serve any more.
process.on('disconnect', () => process.exit(0));

/** How late this process's own timers run: reported in each pong, so a busy child is not taken for a hung one. */
let lagMs = 0;
let expected = performance.now() + 100;
setInterval(() => {
  const t = performance.now();
  lagMs = Math.max(lagMs * 0.5, t - expected);
  expected = t + 100;
}, 100).unref();

let phone: SipPhone | undefined;
let sessions: Sessions | undefined;
let media: ChannelBridge | undefined;

const log = (level: 'info' | 'warn' | 'error', message: string): void =>
  post({ t: 'log', level, message: message.slice(0, 2_000) });

const start = (message: Extract<ToChild, { t: 'start' }>): void => {
  if (phone !== undefined) return;
  media = message.config.media === 'renderer' ? createChannelBridge({ post, log }) : undefined;
  // sip.js makes a session's handler when it first needs SDP, after sessions.ts gave the session its id;
  // a session it never told us about (none today) gets a key the page accepts.
  const keyOf = (session: Session): string =>
    sessions?.sidOf(session) ?? `x${session.id.replace(/[^A-Za-z0-9_-]/g, '').slice(0, 60)}`;
  phone = createSipPhone(message.config, {
    sessionDescriptionHandlerFactory: media === undefined ? nullMediaFactory : bridgeMediaFactory(media, keyOf),
    // sip.js's own debug chatter (every transaction state) would drown the technical log.
    log: (m) => {
      if (!m.startsWith('sip.js debug')) log('info', `SIP : ${m}`);
    },
  });
  phone.onState((state) => post({ t: 'registration', state }));
  sessions = createSessions({
    phone,
    post,
    dtmfMethod: message.dtmfMethod,
    maxPendingOffers: message.maxPendingOffers,
    lag: () => lagMs,
    log,
    ...(media === undefined ? {} : { media }),
  });
  post({ t: 'registration', state: phone.state() });
  post({ t: 'ready' });
};

const stop = async (): Promise<void> => {
  sessions?.close();
  media?.stop();
  await phone?.stop();
  process.exit(0);
};

port.on('message', (raw) => {
  const parsed = parseMessage(toChildSchema, raw);
  if (!parsed.ok) {
    log('error', `message du cœur ignoré : ${parsed.reason}`);
    return;
  }
  const message = parsed.message;
  switch (message.t) {
    case 'start':
      return start(message);
    case 'ping':
      return post({ t: 'pong', seq: message.seq, lagMs: Math.round(lagMs) });
    case 'ack':
      return sessions?.ack(message.sid, message.durable);
    case 'mediaResult':
      return media?.onResult(message);
    case 'cmd':
      if (sessions === undefined) {
        post({ t: 'result', id: message.id, ok: false, code: 'unavailable', message: 'Pile SIP non démarrée.' });
        return;
      }
      void sessions.command(message).then(post);
      return;
    case 'simulate':
      phone?.simulateLoss(message.lost);
      return;
    case 'stop':
      void stop();
      return;
  }
});
