/**
 * The sip.js session work, in the SIP child process: incoming Invitations and outgoing Inviters, keyed by
 * a session id, reported to the core as facts (channel.ts) and driven by its commands. The call domain in
 * the core decides; this file only speaks SIP.
 */
import { performance } from 'node:perf_hooks';
import {
  Invitation,
  Inviter,
  SessionState,
  UserAgent,
  type Session,
  type SessionDescriptionHandler,
  type SessionDescriptionHandlerModifier,
  type SessionDescriptionHandlerOptions,
  type SessionReferOptions,
} from 'sip.js';
import type { SessionInviteOptions } from 'sip.js';

/** sip.js's OutgoingRequestDelegate, named through its public API. */
type OutgoingRequestDelegate = NonNullable<SessionInviteOptions['requestDelegate']>;
import { answeredElsewhere, dtmfInfoBody, setSdpDirection, targetUri } from '../../calls/sip-helpers.js';
import type { Command, FromChild } from '../channel.js';
import type { ChannelBridge } from './channel-bridge.js';
import { hasAsyncControls } from './media.js';
import { createOverloadGuard, lateLoopRefuses } from './overload.js';
import type { SipPhone } from './phone.js';
import { referWithHeaders, sessionContact } from './sipjs-internals.js';

type Result = Extract<FromChild, { t: 'result' }>;
type ErrorCode = Extract<Result, { ok: false }>['code'];

class CommandError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** Header values sent to the core are bounded (channel.ts): a hostile INVITE cannot make a huge message. */
const bounded = (value: string | undefined): string | undefined => value?.slice(0, 16_384);
const noop = (): void => undefined;
const wallNow = (): number => performance.timeOrigin + performance.now();

interface MutableMedia {
  setMuted(muted: boolean): void | Promise<void>;
}
const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error)).slice(0, 500);
const isMutable = (sdh: SessionDescriptionHandler | undefined): sdh is SessionDescriptionHandler & MutableMedia =>
  sdh !== undefined && 'setMuted' in sdh && typeof sdh.setMuted === 'function';

/** Rewrites the SDP direction of what our SDH produces (hold = sendonly, RFC 3264 §8.4). */
const directionModifier =
  (hold: boolean): SessionDescriptionHandlerModifier =>
  async (description) => ({
    ...description,
    sdp: setSdpDirection(String(description.sdp ?? ''), hold ? 'sendonly' : 'sendrecv'),
  });

export interface SessionsOptions {
  phone: SipPhone;
  post: (message: FromChild) => void;
  dtmfMethod: 'media' | 'info';
  maxPendingOffers: number;
  /** How late this process's timers run now (ms): in a flood, a late loop refuses new calls too (overload.ts). */
  lag: () => number;
  log: (level: 'info' | 'warn' | 'error', message: string) => void;
  /** 'renderer' media: the bridge to the page (absent with null media). */
  media?: ChannelBridge;
}

export interface Sessions {
  command(cmd: Command): Promise<Result>;
  /** Vigie's id of a sip.js session (the media handlers' key), undefined for one we do not track. */
  sidOf(session: Session): string | undefined;
  ack(sid: string, durable: boolean): void;
  close(): void;
}

export const createSessions = (o: SessionsOptions): Sessions => {
  const ua = o.phone.userAgent;
  const sessions = new Map<string, Session>();
  const sids = new WeakMap<Session, string>();
  const overload = createOverloadGuard({ max: o.maxPendingOffers, post: o.post });
  let nextSid = 0;
  const fact = (f: Extract<FromChild, { t: 'fact' }>['fact']): void => o.post({ t: 'fact', fact: f });

  const track = (sid: string, session: Session): void => {
    sessions.set(sid, session);
    sids.set(session, sid);
    session.stateChange.addListener((state) => {
      if (state === SessionState.Established && session instanceof Inviter) fact({ kind: 'confirmed', sid });
      if (state !== SessionState.Terminated) return;
      sessions.delete(sid);
      // Media prepared for a call that ended before sip.js made its handler (CANCEL while answering).
      o.media?.close(sid);
      overload.settled(sid);
      fact({ kind: 'terminated', sid });
    });
  };

  const onInvite = (invitation: Invitation): void => {
    const request = invitation.request;
    const pai = bounded(request.getHeader('P-Asserted-Identity'));
    const fromUser = bounded(invitation.remoteIdentity.uri.user);
    // A child whose loop runs late while it holds many calls cannot take more without starving them (and its
    // heartbeat): refused like those above the core's backlog.
    if (overload.full() || lateLoopRefuses(o.lag(), sessions.size)) {
      // Above what the core can log: refused now, so the caller's network can route the call elsewhere
      // (RFC 3261 §21.5.4), and counted in the next overload report.
      overload.refused((pai ?? fromUser ?? '').slice(0, 64));
      invitation.reject({ statusCode: 503, extraHeaders: ['Retry-After: 5'] }).catch(noop);
      return;
    }
    const sid = `i${(nextSid += 1)}`;
    invitation.delegate = {
      onAck: () => fact({ kind: 'confirmed', sid }),
      onCancel: (cancel) =>
        fact({ kind: 'cancelled', sid, elsewhere: answeredElsewhere(cancel.request.getHeader('Reason')) }),
      onBye: (bye) => {
        fact({ kind: 'bye', sid });
        void bye.accept().catch(noop);
      },
      onInfo: (info) => void info.accept().catch(noop),
    };
    track(sid, invitation);
    overload.offered(sid);
    o.post({
      t: 'offer',
      sid,
      sipCallId: request.callId.slice(0, 256),
      headers: {
        to: bounded(request.getHeader('To')),
        pCalledPartyId: bounded(request.getHeader('P-Called-Party-ID')),
        diversion: bounded(request.getHeader('Diversion')),
      },
      pAssertedIdentity: pai,
      fromUser,
      displayName: bounded(invitation.remoteIdentity.displayName),
    });
  };
  const offInvite = o.phone.onInvite(onInvite);

  const ack = (sid: string, durable: boolean): void => {
    overload.settled(sid);
    const session = sessions.get(sid);
    if (!(session instanceof Invitation)) return;
    if (!durable) {
      // Not durable means not offered (docs/architecture.md "Durable before acknowledged").
      void session.reject({ statusCode: 500 }).catch(noop);
      return;
    }
    // sip.js already sent 180 Ringing before handing us the invitation, unless the caller requires
    // reliable provisional responses (RFC 3262), in which case it is ours to send.
    if (!session.autoSendAnInitialProvisionalResponse) void session.progress().catch(noop);
  };

  const session = (sid: string): Session => {
    const s = sessions.get(sid);
    if (s === undefined) throw new CommandError('not_found', 'Session SIP inconnue ou terminée.');
    return s;
  };
  const makeUri = (target: string, what: string): ReturnType<typeof UserAgent.makeURI> & object => {
    const uri = UserAgent.makeURI(targetUri(target, ua.configuration.uri.host));
    if (uri === undefined) throw new CommandError('invalid_argument', `${what} invalide : ${target}`);
    return uri;
  };
  const refused = (
    what: string,
    status: { statusCode?: number | undefined; reasonPhrase?: string | undefined },
  ): CommandError =>
    new CommandError(
      'unavailable',
      `${what} refusé(e) par le correspondant (${status.statusCode ?? '?'} ${status.reasonPhrase ?? ''}).`,
    );

  /** An in-dialog request whose answer settles the promise (re-INVITE, REFER, INFO). */
  const answered = (what: string, send: (delegate: OutgoingRequestDelegate) => Promise<unknown>): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      send({ onAccept: () => resolve(), onReject: (r) => reject(refused(what, r.message)) }).catch((error: unknown) =>
        reject(new CommandError('unavailable', `${what} impossible : ${String(error)}`)),
      );
    });

  const reinvite = (s: Session, hold: boolean): Promise<void> => {
    // `hold` is what sip.js's web SDH reads; the modifier does the same for handlers that do not.
    const sdhOptions: SessionDescriptionHandlerOptions & { hold: boolean } = {
      ...s.sessionDescriptionHandlerOptionsReInvite,
      hold,
    };
    return answered(hold ? 'Mise en attente' : 'Reprise', (requestDelegate) =>
      s.invite({
        sessionDescriptionHandlerOptions: sdhOptions,
        sessionDescriptionHandlerModifiers: [directionModifier(hold)],
        requestDelegate,
      }),
    );
  };

  /**
   * Refer-To for an attended transfer: the consulted party's AOR with a Replaces header naming the
   * consultation dialog (RFC 3891 §3 tags as seen by the target; RFC 5589 §7.1).
   */
  const replacesTarget = (consult: Session): string => {
    const dialog = consult.dialog;
    if (dialog === undefined)
      throw new CommandError('conflict', "Transfert accompagné : l'appel de consultation n'a pas de dialogue.");
    const aor = consult.remoteIdentity.uri;
    const replaces = encodeURIComponent(`${dialog.callId};to-tag=${dialog.remoteTag};from-tag=${dialog.localTag}`);
    return `${aor.scheme}:${aor.user ?? ''}@${aor.host}${aor.port === undefined ? '' : `:${aor.port}`}?Replaces=${replaces}`;
  };

  const refer = (sid: string, s: Session, target: string, replacesSid: string | undefined): Promise<void> => {
    const uri = makeUri(target, 'Destination de transfert');
    const replaces = replacesSid === undefined ? undefined : replacesTarget(session(replacesSid));
    return answered('Transfert', (requestDelegate) => {
      const options: SessionReferOptions = {
        requestDelegate,
        onNotify: (notification) => {
          void notification.accept().catch(noop);
          const frag = /^SIP\/2\.0\s+(\d{3})/m.exec(notification.request.body)?.[1];
          fact({ kind: 'transferNotify', sid, code: frag === undefined ? 0 : Number(frag) });
        },
      };
      if (replaces === undefined) return s.refer(uri, options);
      const contact = sessionContact(s);
      // The same headers sip.js would add (Session.referExtraHeaders) with our bracketed Refer-To.
      return referWithHeaders(s, options.onNotify ?? noop, requestDelegate, [
        `Referred-By: <${String(ua.configuration.uri)}>`,
        ...(contact === undefined ? [] : [`Contact: ${contact}`]),
        'Allow: ACK,CANCEL,INVITE,MESSAGE,BYE,OPTIONS,INFO,NOTIFY,REFER',
        `Refer-To: <${replaces}>`,
      ]);
    });
  };

  const dtmf = async (s: Session, digits: string): Promise<void> => {
    const sdh = s.sessionDescriptionHandler;
    if (o.dtmfMethod !== 'info' && hasAsyncControls(sdh)) {
      // The page's RTCDTMFSender (RFC 4733); INFO only where configured (telephony.dtmf = 'info').
      let sent: boolean;
      try {
        sent = await sdh.sendDtmfAsync(digits);
      } catch (error) {
        throw new CommandError('unavailable', `Touches non envoyées : ${errorText(error)}`);
      }
      if (!sent)
        throw new CommandError(
          'unavailable',
          'Touches non envoyées : le correspondant n’a pas négocié les événements téléphoniques (RFC 4733).',
        );
      return;
    }
    // In-band RFC 4733 through the media handler when it can; else one SIP INFO per digit, in order.
    if (o.dtmfMethod !== 'info' && sdh?.sendDtmf(digits) === true) return;
    for (const digit of digits) {
      await answered(`Touche ${digit}`, (requestDelegate) =>
        s.info({
          requestDelegate,
          requestOptions: {
            body: { contentDisposition: 'render', contentType: 'application/dtmf-relay', content: dtmfInfoBody(digit) },
          },
        }),
      );
    }
  };

  const dial = (sid: string, target: string): Result => {
    const uri = makeUri(target, 'Numéro ou adresse');
    if (sessions.has(sid)) throw new CommandError('conflict', 'Session SIP déjà utilisée.');
    const inviter = new Inviter(ua, uri);
    inviter.delegate = {
      onBye: (bye) => {
        fact({ kind: 'bye', sid });
        void bye.accept().catch(noop);
      },
      onInfo: (info) => void info.accept().catch(noop),
    };
    track(sid, inviter);
    // The result leaves before any fact about this session: the INVITE is sent after it (after the
    // microtasks that post the result).
    setImmediate(() => {
      inviter
        .invite({
          requestDelegate: {
            onReject: (response) => fact({ kind: 'rejected', sid, code: response.message.statusCode ?? 500 }),
          },
        })
        .catch((error: unknown) => {
          o.log('warn', `INVITE vers ${target} non envoyé : ${String(error)}`);
          void inviter.dispose().catch(noop);
        });
    });
    return { t: 'result', id: 0, ok: true, dialled: { sipCallId: inviter.request.callId, number: uri.user ?? target } };
  };

  /**
   * 'renderer' media: the page takes the caller's offer and has its answer ready before the 200 OK, so a
   * page that cannot (no microphone, permission refused, no answer in time) leaves the call ringing.
   * An INVITE without SDP (RFC 3261 §13.2.1, offer in the 200 OK) has nothing to prepare.
   */
  const prepareMedia = async (sid: string, invitation: Invitation): Promise<void> => {
    const media = o.media;
    const body = invitation.body;
    const type = invitation.request.getHeader('Content-Type') ?? '';
    if (media === undefined || body === undefined || body === '' || !/^application\/sdp/i.test(type.trim())) return;
    try {
      await media.prepareAnswer(sid, body);
    } catch (error) {
      throw new CommandError('unavailable', `Décroché impossible, l’appel sonne toujours : ${errorText(error)}`);
    }
  };

  const run = async (cmd: Command): Promise<Result> => {
    const done: Result = { t: 'result', id: cmd.id, ok: true };
    if (cmd.op === 'dial') return { ...dial(cmd.sid, cmd.target ?? ''), id: cmd.id };
    const s = session(cmd.sid);
    switch (cmd.op) {
      case 'accept':
        if (!(s instanceof Invitation)) throw new CommandError('conflict', 'Un appel sortant ne se décroche pas.');
        await prepareMedia(cmd.sid, s);
        // Resolves once the 200 OK is sent (sip.js Invitation.accept).
        await s.accept();
        return { ...done, sentAt: wallNow() };
      case 'reject':
        if (s instanceof Invitation) await s.reject({ statusCode: cmd.code ?? 486 });
        return done;
      case 'cancel':
        if (s instanceof Inviter && s.state !== SessionState.Established) await s.cancel();
        else if (s.state === SessionState.Established) await s.bye();
        return done;
      case 'bye':
        if (s.state === SessionState.Established) await s.bye();
        return done;
      case 'hold':
      case 'resume':
        await reinvite(s, cmd.op === 'hold');
        return done;
      case 'refer':
        await refer(cmd.sid, s, cmd.target ?? '', cmd.replacesSid);
        return done;
      case 'dtmf':
        await dtmf(s, cmd.digits ?? '');
        return done;
      case 'mute': {
        const sdh = s.sessionDescriptionHandler;
        try {
          if (isMutable(sdh)) await sdh.setMuted(cmd.muted === true);
        } catch (error) {
          throw new CommandError(
            'unavailable',
            `Micro non ${cmd.muted === true ? 'coupé' : 'rétabli'} : ${errorText(error)}`,
          );
        }
        return done;
      }
      case 'dispose':
        await s.dispose();
        return done;
    }
  };

  return {
    async command(cmd) {
      try {
        return await run(cmd);
      } catch (error) {
        if (error instanceof CommandError)
          return { t: 'result', id: cmd.id, ok: false, code: error.code, message: error.message };
        return {
          t: 'result',
          id: cmd.id,
          ok: false,
          code: 'unavailable',
          message: `Commande SIP en échec : ${String(error).slice(0, 500)}`,
        };
      }
    },
    sidOf: (session) => sids.get(session),
    ack,
    close() {
      offInvite();
      overload.close();
    },
  };
};
