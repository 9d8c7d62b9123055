/**
 * The boundary between the call domain and the SIP stack. The domain (this folder) never touches SIP
 * itself: telephony (electron/core/telephony) reports FACTS about each SIP session, identified by an
 * opaque session id `sid`, and the domain asks it to act through `CallSignalling`. Every command returns
 * a promise that settles within a bounded time (a far end that never answers an in-dialog request is
 * reported in French, it never blocks the other calls' commands).
 */

/** What telephony can do on a session; it rejects with a VigieError whose message is French. */
export interface CallSignalling {
  /** 200 OK to an incoming INVITE; resolves once it is sent. */
  accept(sid: string): Promise<void>;
  /** Final non-2xx to a ringing INVITE (486 to decline without stopping the other positions). */
  reject(sid: string, code: number): Promise<void>;
  /** BYE on an established dialog. */
  bye(sid: string): Promise<void>;
  /** CANCEL of an outgoing INVITE that is not answered yet. */
  cancel(sid: string): Promise<void>;
  /** re-INVITE with the SDP direction of hold (sendonly, RFC 3264 §8.4) or resume (sendrecv). */
  reinvite(sid: string, mode: 'hold' | 'resume'): Promise<void>;
  /** REFER (RFC 3515): blind to `target`, or attended replacing the dialog of `replacesSid` (RFC 3891). */
  refer(sid: string, target: string, replacesSid?: string): Promise<void>;
  /** DTMF digits in order (RFC 4733 through the media handler, or SIP INFO). */
  dtmf(sid: string, digits: string): Promise<void>;
  /** New outgoing INVITE on session `sid` (chosen by the domain); resolves once the request exists. */
  dial(sid: string, target: string): Promise<{ sipCallId: string; number: string }>;
  mute(sid: string, muted: boolean): Promise<void>;
  /** Forget a session whose transport is gone (no request can reach the far end any more). */
  dispose(sid: string): Promise<void>;
}

/** An incoming INVITE, as the SIP stack read it: raw values, bounded but not trusted. */
export interface CallOffer {
  sid: string;
  sipCallId: string;
  /** The first value of each header the called number may come from (lines.ts). */
  headers: { to?: string | undefined; pCalledPartyId?: string | undefined; diversion?: string | undefined };
  pAssertedIdentity?: string | undefined;
  fromUser?: string | undefined;
  displayName?: string | undefined;
}

/** What happened on a session, or to the SIP stack as a whole. */
export type CallFact =
  /** Dialog confirmed: ACK of our 2xx received (incoming), 2xx received and ACKed (outgoing). */
  | { kind: 'confirmed'; sid: string }
  /** CANCEL received; `elsewhere` when its Reason says another branch answered (RFC 3326). */
  | { kind: 'cancelled'; sid: string; elsewhere: boolean }
  | { kind: 'bye'; sid: string }
  /** Final non-2xx answer to our outgoing INVITE. */
  | { kind: 'rejected'; sid: string; code: number }
  /** The session is over on the SIP side, whatever the reason. */
  | { kind: 'terminated'; sid: string }
  /** NOTIFY of a REFER we sent, with its sipfrag status code (RFC 3515 §2.4.5). */
  | { kind: 'transferNotify'; sid: string; code: number }
  /**
   * The page's audio watchdog heard no RTP on this session for its threshold (voice.alarm `no-rtp`, mapped
   * from the page's media id by telephony): a call whose signalling was lost is then over.
   */
  | { kind: 'mediaStopped'; sid: string }
  /** The connection to the SIP server is lost: ringing calls can no longer be answered. */
  | { kind: 'registrationLost' }
  /** The SIP stack itself is gone (its process died or hung): every session with it is over. */
  | { kind: 'signallingLost'; detail: string };

/** Where telephony reports; given by the calls module's `callDesk` port. */
export interface CallFactSink {
  /** Appends `call.offered`; true once it is durable (then the call may ring), false when refused. */
  offer(offer: CallOffer): boolean;
  report(fact: CallFact): void;
  /** The position stops: hangs up the calls still up and logs them `failed` ("poste arrêté"). */
  close(): Promise<void>;
}

export interface CallDeskAttachOptions {
  /** `lines` and `calledNumberFrom` of the telephony configuration (validated by lines.ts). */
  lines?: unknown;
  /** `vigie serve --auto-answer S`: tests and benchmarks only. */
  autoAnswerSeconds?: number;
  /**
   * The audio goes through the page, whose watchdog reports when no RTP arrives (voice.alarm `no-rtp`):
   * a call whose signalling died is then kept until its media stops. False (null media, no RTP to watch):
   * such a call is ended at once.
   */
  mediaWatched?: boolean;
}

/** The calls module's offer to telephony (Ports.callDesk). */
export interface CallDeskPort {
  attach(signalling: CallSignalling, options?: CallDeskAttachOptions): CallFactSink;
}
