/**
 * A registered sip.js UserAgent over WebSocket for tests: the far end of calls (caller, transfer target,
 * callee) where SIPp's scripted behaviour is not enough.
 */
import { Registerer, RegistererState, UserAgent, type Invitation } from 'sip.js';
import WebSocket from 'ws';
import { testNullMediaFactory } from './null-media.js';

// sip.js 0.21 under Node needs a global WebSocket (lab notes).
if (!('WebSocket' in globalThis)) Object.assign(globalThis, { WebSocket });

export interface TestUa {
  readonly userAgent: UserAgent;
  readonly registerer: Registerer;
  onInvite(listener: (invitation: Invitation) => void): () => void;
  stop(): Promise<void>;
}

export const startTestUa = async (opts: {
  wsUrl: string;
  user: string;
  domain?: string;
  displayName?: string;
}): Promise<TestUa> => {
  const listeners = new Set<(i: Invitation) => void>();
  const errors: string[] = [];
  const uri = UserAgent.makeURI(`sip:${opts.user}@${opts.domain ?? '127.0.0.1'}`);
  if (uri === undefined) throw new Error(`AOR invalide : ${opts.user}`);
  const userAgent = new UserAgent({
    uri,
    transportOptions: { server: opts.wsUrl },
    sessionDescriptionHandlerFactory: testNullMediaFactory,
    logBuiltinEnabled: false,
    logLevel: process.env['SIPJS_DEBUG'] === '1' ? 'debug' : 'error',
    logConnector: (level, category, label, content) => {
      if (process.env['SIPJS_DEBUG'] === '1') console.log(opts.user, level, content.slice(0, 400));
      if (level === 'error') errors.push(`${category}: ${content}`);
    },
    // sip.js would answer 480 after 60 s of ringing by default; an emergency call rings until someone answers.
    noAnswerTimeout: 3600,
    ...(opts.displayName === undefined ? {} : { displayName: opts.displayName }),
    delegate: {
      onInvite: (invitation) => {
        for (const l of listeners) l(invitation);
      },
    },
  });
  await userAgent.start();
  const registerer = new Registerer(userAgent, { expires: 300 });
  const registered = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`REGISTER ${opts.user} sans réponse : ${errors.join('; ')}`)),
      5000,
    );
    registerer.stateChange.addListener((s) => {
      if (s === RegistererState.Registered) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  await registerer.register();
  await registered;
  return {
    userAgent,
    registerer,
    onInvite(l) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    async stop() {
      // A test may have killed the server: unregistering would wait for transaction timeouts (32 s).
      if (userAgent.isConnected()) {
        try {
          await registerer.unregister();
        } catch {
          // already gone with the transport
        }
      }
      await Promise.race([userAgent.stop(), new Promise((resolve) => setTimeout(resolve, 3000))]);
    },
  };
};
