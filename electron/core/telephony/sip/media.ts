import type {
  BodyAndContentType,
  Session,
  SessionDescriptionHandler,
  SessionDescriptionHandlerFactory,
  SessionDescriptionHandlerModifier,
  SessionDescriptionHandlerOptions,
} from 'sip.js';

/** sip.js passes `hold` in the options of a re-INVITE (Session.sessionDescriptionHandlerOptionsReInvite). */
type HoldOptions = SessionDescriptionHandlerOptions & { hold?: boolean };
type Direction = 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';

const isSdp = (contentType: string): boolean => contentType.split(';')[0]?.trim().toLowerCase() === 'application/sdp';

/** Offered direction → answered direction (RFC 3264 section 6.1), and on hold we never receive (section 8.4). */
const answerDirection = (offered: Direction, hold: boolean): Direction => {
  switch (offered) {
    case 'sendonly':
      return hold ? 'inactive' : 'recvonly';
    case 'recvonly':
      return 'sendonly';
    case 'inactive':
      return 'inactive';
    default:
      return hold ? 'sendonly' : 'sendrecv';
  }
};

const directionOf = (sdp: string): Direction => {
  const match = /^a=(sendrecv|sendonly|recvonly|inactive)\s*$/m.exec(sdp);
  return (match?.[1] as Direction | undefined) ?? 'sendrecv';
};

/** Minimal checks on a remote SDP (RFC 4566 section 5): version line first, at least one media line. */
export const checkRemoteSdp = (sdp: string): void => {
  if (!/^v=0\r?\n/.test(sdp)) throw new Error('SDP distant invalide : ligne v=0 absente');
  if (!/^m=audio \d+ /m.test(sdp)) throw new Error('SDP distant invalide : pas de média audio');
  if (sdp.length > 16_384) throw new Error('SDP distant trop long');
};

/** Apply sip.js description modifiers (used e.g. for hold by the calls module) to a plain SDP string. */
const applyModifiers = async (
  type: 'offer' | 'answer',
  sdp: string,
  modifiers: SessionDescriptionHandlerModifier[] | undefined,
): Promise<string> => {
  let description = { type, sdp };
  for (const modify of modifiers ?? []) {
    const next = await modify(description);
    description = { type, sdp: next.sdp ?? description.sdp };
  }
  return description.sdp;
};

let lastNullPort = 40_000;
const nextNullPort = (): number => {
  lastNullPort = lastNullPort >= 59_998 ? 40_002 : lastNullPort + 2;
  return lastNullPort;
};

/**
 * Null media: a static SDP (PCMU + telephone-event, RFC 4733) with CRLF line ends (RFC 4566 section 5) and no
 * RTP at all. For headless positions, tests and benchmarks where only signalling matters.
 */
export class NullMediaHandler implements SessionDescriptionHandler {
  remoteSdp: string | undefined;
  readonly dtmfSent: string[] = [];
  closed = false;
  private readonly sessionVersion = Date.now();
  private version = 0;

  muted = false;

  /** Each handler announces its own even port (RTP on even ports, RFC 3550 section 11), though nothing listens. */
  constructor(private readonly port = nextNullPort()) {}

  /** Mute has nothing to silence here; the flag lets headless tests check the command reached the media. */
  setMuted(muted: boolean): void {
    this.muted = muted;
  }

  async getDescription(
    options?: HoldOptions,
    modifiers?: SessionDescriptionHandlerModifier[],
  ): Promise<BodyAndContentType> {
    const hold = options?.hold === true;
    const direction =
      this.remoteSdp === undefined
        ? hold
          ? 'sendonly'
          : 'sendrecv'
        : answerDirection(directionOf(this.remoteSdp), hold);
    this.version += 1;
    const sdp = [
      'v=0',
      `o=vigie ${this.sessionVersion} ${this.version} IN IP4 127.0.0.1`,
      's=vigie',
      'c=IN IP4 127.0.0.1',
      't=0 0',
      `m=audio ${this.port} RTP/AVP 0 101`,
      'a=rtpmap:0 PCMU/8000',
      'a=rtpmap:101 telephone-event/8000',
      'a=fmtp:101 0-15',
      `a=${direction}`,
      '',
    ].join('\r\n');
    const type = this.remoteSdp === undefined ? 'offer' : 'answer';
    return { body: await applyModifiers(type, sdp, modifiers), contentType: 'application/sdp' };
  }

  hasDescription(contentType: string): boolean {
    return isSdp(contentType);
  }

  async setDescription(sdp: string): Promise<void> {
    checkRemoteSdp(sdp);
    this.remoteSdp = sdp;
  }

  sendDtmf(tones: string): boolean {
    if (!/^[0-9A-D#*,]+$/i.test(tones)) return false;
    this.dtmfSent.push(tones);
    return true;
  }

  close(): void {
    this.closed = true;
  }
}

export const nullMediaFactory: SessionDescriptionHandlerFactory = () => new NullMediaHandler();

/**
 * What the media owner implements for the bridge (sip/channel-bridge.ts: through the core to the page's
 * RTCPeerConnection, docs/architecture.md "Processes"): the sip.js session forwards offer/answer, hold and
 * DTMF to it, keyed by Vigie's session id.
 */
export interface MediaBridge {
  /** Produce the local SDP: an offer, or the answer to the remote SDP already given with setRemote. */
  getLocal(sessionId: string, request: { kind: 'offer' | 'answer'; hold: boolean }): Promise<string>;
  setRemote(sessionId: string, sdp: string, kind: 'offer' | 'answer'): Promise<void>;
  /** RFC 4733 telephone-events; false when the media cannot send them (none negotiated). */
  sendDtmf(sessionId: string, tones: string): Promise<boolean>;
  /** Microphone on/off on the media side (no SIP involved). */
  setMuted(sessionId: string, muted: boolean): Promise<void>;
  close(sessionId: string): void;
}

/** A handler whose DTMF and mute reach the media asynchronously, so that the command can wait for them. */
export interface AsyncMediaControls {
  sendDtmfAsync(tones: string): Promise<boolean>;
  setMuted(muted: boolean): Promise<void>;
}

export const hasAsyncControls = (
  sdh: SessionDescriptionHandler | undefined,
): sdh is SessionDescriptionHandler & AsyncMediaControls => sdh instanceof BridgeSessionDescriptionHandler;

const noop = (): void => undefined;

/**
 * Session description handler that delegates every media decision to a MediaBridge. It tracks the RFC 3264
 * offer/answer state: a remote SDP received while we have an offer out is the answer; otherwise it is an
 * offer, and the next getDescription() produces our answer to it.
 */
export class BridgeSessionDescriptionHandler implements SessionDescriptionHandler, AsyncMediaControls {
  private localOfferOut = false;
  private remoteOfferIn = false;

  constructor(
    private readonly sessionId: string,
    private readonly bridge: MediaBridge,
  ) {}

  async getDescription(
    options?: HoldOptions,
    modifiers?: SessionDescriptionHandlerModifier[],
  ): Promise<BodyAndContentType> {
    const kind = this.remoteOfferIn ? 'answer' : 'offer';
    this.remoteOfferIn = false;
    this.localOfferOut = kind === 'offer';
    const sdp = await this.bridge.getLocal(this.sessionId, { kind, hold: options?.hold === true });
    return { body: await applyModifiers(kind, sdp, modifiers), contentType: 'application/sdp' };
  }

  hasDescription(contentType: string): boolean {
    return isSdp(contentType);
  }

  async setDescription(sdp: string): Promise<void> {
    checkRemoteSdp(sdp);
    const kind = this.localOfferOut ? 'answer' : 'offer';
    await this.bridge.setRemote(this.sessionId, sdp, kind);
    this.localOfferOut = false;
    this.remoteOfferIn = kind === 'offer';
  }

  /** sip.js's synchronous form: sent without waiting (sessions.ts uses sendDtmfAsync). */
  sendDtmf(tones: string): boolean {
    void this.bridge.sendDtmf(this.sessionId, tones).catch(noop);
    return true;
  }

  sendDtmfAsync(tones: string): Promise<boolean> {
    return this.bridge.sendDtmf(this.sessionId, tones);
  }

  setMuted(muted: boolean): Promise<void> {
    return this.bridge.setMuted(this.sessionId, muted);
  }

  close(): void {
    this.bridge.close(this.sessionId);
  }
}

/** The bridge's handler for each session, keyed by `keyOf` (Vigie's session id, not sip.js's). */
export const bridgeMediaFactory =
  (bridge: MediaBridge, keyOf: (session: Session) => string): SessionDescriptionHandlerFactory =>
  (session: Session) =>
    new BridgeSessionDescriptionHandler(keyOf(session), bridge);
