/**
 * A WebRTC endpoint registered on the lab, built like a position: sip.js in Node for the SIP over WebSocket,
 * and the media in a Chromium page (RTCPeerConnection, fake microphone from a WAV file) reached through a
 * SessionDescriptionHandler that forwards offer/answer to the page (docs/architecture.md, "SIP bridge and
 * media"). Used by the lab's media tests (UDP caller ⇄ WebRTC, WebRTC ⇄ WebRTC through rtpengine) and as
 * the far end of the voice benchmark. Test scaffolding, left out of the package.
 */
import { createServer, type Server } from 'node:http';
import type { BrowserContext, Page } from 'playwright-core';
import {
  Inviter,
  Registerer,
  RegistererState,
  SessionState,
  UserAgent,
  type BodyAndContentType,
  type Invitation,
  type Session,
  type SessionDescriptionHandler,
} from 'sip.js';
import WebSocket from 'ws';
import { launchChromium } from '../chromium.js';
import { PAGE_HTML, type PageStats } from './page-media.js';

if (!('WebSocket' in globalThis)) Object.assign(globalThis, { WebSocket });

/** Forwards sip.js's media calls to the page's window.__lab (page-media.ts). */
class PageMedia implements SessionDescriptionHandler {
  constructor(private readonly page: Page) {}

  async getDescription(): Promise<BodyAndContentType> {
    const sdp = await this.page.evaluate<string>('window.__lab.describe()');
    return { body: sdp, contentType: 'application/sdp' };
  }

  hasDescription(contentType: string): boolean {
    return contentType === 'application/sdp';
  }

  async setDescription(sdp: string): Promise<void> {
    await this.page.evaluate(`window.__lab.setRemote(${JSON.stringify(sdp)})`);
  }

  sendDtmf(tones: string): boolean {
    void this.page.evaluate(`window.__lab.dtmf(${JSON.stringify(tones)})`).catch(() => undefined);
    return true;
  }

  close(): void {
    void this.page.evaluate('window.__lab.close()').catch(() => undefined);
  }
}

export interface LabBrowser {
  context: BrowserContext;
  /** http://127.0.0.1:PORT/ serving the endpoint page (a secure context: getUserMedia needs one). */
  url: string;
  close(): Promise<void>;
}

/** Debian's Chromium, headless, fake devices, the microphone playing `wav` (looped), autoplay allowed. */
export const launchLabBrowser = async (wav: string): Promise<LabBrowser> => {
  const server: Server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(PAGE_HTML);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  const { context, close } = await launchChromium({ media: true, microphoneWav: wav, autoplay: true });
  return {
    context,
    url: `http://127.0.0.1:${port}/`,
    async close() {
      await close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
};

export interface WebrtcEndpoint {
  readonly page: Page;
  readonly userAgent: UserAgent;
  /** The current (or last) call. */
  session(): Session | undefined;
  /** Resolves when a call is established (answered), with the time it was. */
  established(timeoutMs?: number): Promise<number>;
  call(user: string): Promise<Session>;
  hangup(): Promise<void>;
  stats(): Promise<PageStats>;
  onsets(): Promise<{ remote: number[]; mic: number[] }>;
  stop(): Promise<void>;
}

/** Registers `user` on the lab; answers every incoming call `answerAfterMs` later (undefined: never). */
export const startWebrtcEndpoint = async (o: {
  browser: LabBrowser;
  wsUrl: string;
  user: string;
  answerAfterMs?: number;
  tones?: { remoteHz: number; micHz: number };
}): Promise<WebrtcEndpoint> => {
  const page = await o.browser.context.newPage();
  await page.goto(o.browser.url);
  if (o.tones !== undefined) await page.evaluate(`window.__lab.setTones(${o.tones.remoteHz}, ${o.tones.micHz})`);
  let current: Session | undefined;
  const waiters = new Set<(at: number) => void>();
  const track = (session: Session): void => {
    current = session;
    session.stateChange.addListener((s) => {
      if (s === SessionState.Established) for (const w of [...waiters]) w(Date.now());
    });
  };
  const uri = UserAgent.makeURI(`sip:${o.user}@127.0.0.1`);
  if (uri === undefined) throw new Error(`AOR invalide : ${o.user}`);
  const userAgent = new UserAgent({
    uri,
    transportOptions: { server: o.wsUrl },
    sessionDescriptionHandlerFactory: () => new PageMedia(page),
    logBuiltinEnabled: false,
    logLevel: 'error',
    noAnswerTimeout: 3600,
    delegate: {
      onInvite: (invitation: Invitation) => {
        track(invitation);
        if (o.answerAfterMs !== undefined) {
          setTimeout(() => void invitation.accept().catch(() => undefined), o.answerAfterMs);
        }
      },
    },
  });
  await userAgent.start();
  const registerer = new Registerer(userAgent, { expires: 300 });
  const registered = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`REGISTER ${o.user} sans réponse`)), 5_000);
    registerer.stateChange.addListener((s) => {
      if (s === RegistererState.Registered) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  await registerer.register();
  await registered;
  const hangup = async (): Promise<void> => {
    const s = current;
    if (s === undefined) return;
    if (s.state === SessionState.Established) await s.bye();
    else if (s instanceof Inviter && s.state === SessionState.Establishing) await s.cancel();
  };
  return {
    page,
    userAgent,
    session: () => current,
    established: (timeoutMs = 10_000) =>
      new Promise<number>((resolve, reject) => {
        if (current?.state === SessionState.Established) {
          resolve(Date.now());
          return;
        }
        const timer = setTimeout(() => reject(new Error(`appel non établi pour ${o.user}`)), timeoutMs);
        waiters.add((at) => {
          clearTimeout(timer);
          resolve(at);
        });
      }),
    async call(user) {
      const target = UserAgent.makeURI(`sip:${user}@127.0.0.1`);
      if (target === undefined) throw new Error(`destinataire invalide : ${user}`);
      const inviter = new Inviter(userAgent, target);
      track(inviter);
      await inviter.invite();
      return inviter;
    },
    hangup,
    stats: () => page.evaluate<PageStats>('window.__lab.stats()'),
    onsets: () => page.evaluate<{ remote: number[]; mic: number[] }>('window.__lab.onsets()'),
    async stop() {
      await hangup().catch(() => undefined);
      if (userAgent.isConnected()) await registerer.unregister().catch(() => undefined);
      await Promise.race([userAgent.stop(), new Promise((resolve) => setTimeout(resolve, 3_000))]);
      await page.close().catch(() => undefined);
    },
  };
};
