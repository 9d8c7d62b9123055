/**
 * The operator's commands on live calls (answer, hold, transfer, dial…): checked against the state
 * machine first, sent to telephony through CallSignalling, then appended and shown. One command runs on a
 * call at a time; commands on different calls never wait for each other, except that answering or dialling
 * first holds the call in conversation (one conversation at a time).
 */
import type { LiveCall } from '../../contract/calls.js';
import { VigieError } from '../../contract/result.js';
import type { DeskCore } from './desk.js';
import { confirmation, type Live } from './live.js';
import { transition, type EndCause } from './state.js';

const noop = (): void => undefined;

/** RFC 3261 §13.3.1.4: a UAS retransmits its 2xx for 64*T1 = 32 s waiting for the ACK. */
const ACK_WAIT_MS = 32_000;

export interface TransferArgs {
  callId: string;
  target: string;
  mode: 'blind' | 'attended';
  consultCallId?: string;
}

export interface DeskCommands {
  answer(callId: string, opts?: { holdOthers?: boolean }): Promise<LiveCall>;
  hold(callId: string): Promise<LiveCall>;
  resume(callId: string): Promise<LiveCall>;
  hangup(callId: string): Promise<{ callId: string }>;
  transfer(args: TransferArgs): Promise<{ callId: string }>;
  dial(target: string): Promise<LiveCall>;
  dtmf(callId: string, digits: string): Promise<{ callId: string }>;
  mute(callId: string, muted: boolean): Promise<LiveCall>;
  /** Internal to the desk: hang up with a given cause (position stopping). */
  hangupAs(c: Live, cause: EndCause, detail?: string): Promise<void>;
  /** Internal to the desk: a NOTIFY about our REFER arrived. */
  transferNotified(c: Live, code: number): void;
}

export const deskCommands = (d: DeskCore): DeskCommands => {
  /**
   * In-dialog requests wait for the dialog to be confirmed: a re-INVITE sent before the ACK of our 2xx
   * arrives would overlap two INVITE transactions (RFC 3261 §14.1).
   */
  const confirmed = async (c: Live): Promise<void> => {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        c.confirmed,
        new Promise<void>((_, reject) => {
          timer = setTimeout(
            () =>
              reject(new VigieError('unavailable', "Le correspondant n'a pas confirmé la communication (ACK absent).")),
            ACK_WAIT_MS,
          );
        }),
      ]);
    } finally {
      clearTimeout(timer);
    }
    if (c.state === 'ended') throw new VigieError('conflict', 'Cet appel est terminé.');
  };

  const exclusive = async <R>(c: Live, run: () => Promise<R>): Promise<R> => {
    if (c.busy) throw new VigieError('conflict', 'Une commande est déjà en cours sur cet appel.');
    c.busy = true;
    try {
      return await run();
    } finally {
      c.busy = false;
    }
  };

  const holdLive = async (c: Live): Promise<LiveCall> => {
    transition(c.state, { kind: 'hold' });
    await confirmed(c);
    await d.signalling().reinvite(c.sid, 'hold');
    d.record(c, { kind: 'hold' }, 'call.held', { callId: c.id, at: d.now() });
    return d.view(c);
  };

  const holdOthers = async (except: Live | null): Promise<void> => {
    for (const other of d.live.values()) {
      if (other !== except && other.state === 'active') await exclusive(other, () => holdLive(other));
    }
  };

  const answer: DeskCommands['answer'] = async (callId, opts = {}) => {
    const c = d.get(callId);
    if (c.direction !== 'in') throw new VigieError('conflict', 'Un appel sortant ne se décroche pas.');
    const signalling = d.signalling();
    return exclusive(c, async () => {
      transition(c.state, { kind: 'answer' });
      if (opts.holdOthers ?? true) await holdOthers(c);
      if (c.autoAnswer !== undefined) clearTimeout(c.autoAnswer);
      try {
        await signalling.accept(c.sid);
      } catch (error) {
        if (c.state === 'ended') throw new VigieError('conflict', 'Le correspondant a raccroché avant la réponse.');
        throw error;
      }
      // The caller may have hung up while our 200 OK was on its way: the session's end was logged already.
      if (c.state === 'ended') throw new VigieError('conflict', 'Le correspondant a raccroché avant la réponse.');
      const at = d.now();
      c.answeredAt = at;
      d.record(c, { kind: 'answer' }, 'call.answered', { callId: c.id, at });
      return d.view(c);
    });
  };

  const hangupAs: DeskCommands['hangupAs'] = async (c, cause, detail) => {
    if (detail !== undefined) c.localDetail = detail;
    const signalling = d.signalling();
    switch (c.state) {
      case 'ringing':
        // 486 Busy Here, not 603/6xx: a 6xx would stop the call ringing at the other positions too
        // (RFC 3261 §16.7 step 5).
        c.localEnd = cause;
        await signalling.reject(c.sid, 486);
        break;
      case 'dialing':
        c.localEnd = cause;
        await signalling.cancel(c.sid);
        break;
      case 'active':
      case 'held':
        c.localEnd = c.localEnd ?? cause;
        // The operator hung up: the call ends here whatever the far end does with the BYE (no answer, a
        // stack that refuses it). A call left « en ligne » on screen after F12 would block the position;
        // the far end's own timers end its leg (RFC 3261 §15: the session is over once BYE is sent).
        try {
          await signalling.bye(c.sid);
        } catch (error) {
          c.localDetail ??= `BYE sans réponse : ${error instanceof Error ? error.message : String(error)}`;
        }
        break;
      case 'ended':
        return;
    }
    d.end(c, c.localEnd ?? cause);
  };

  const clearTransfer = (c: Live, consult: Live | undefined): void => {
    c.transfer = undefined;
    if (consult !== undefined) consult.transfer = undefined;
  };

  const transfer: DeskCommands['transfer'] = async ({ callId, target, mode, consultCallId }) => {
    const c = d.get(callId);
    const consult = consultCallId === undefined ? undefined : d.get(consultCallId);
    if (mode === 'attended' && (consult === undefined || consult.state === 'dialing' || consult.state === 'ringing')) {
      throw new VigieError('conflict', "Transfert accompagné : l'appel de consultation doit être établi.");
    }
    transition(c.state, { kind: 'transfer' });
    const signalling = d.signalling();
    return exclusive(c, async () => {
      await confirmed(c);
      if (consult !== undefined) await confirmed(consult);
      c.transfer = { target, mode, ...(consult === undefined ? {} : { consultCallId: consult.id }), logged: false };
      if (consult !== undefined) consult.transfer = { target, mode, consultCallId: c.id, logged: true };
      try {
        await signalling.refer(c.sid, target, consult?.sid);
      } catch (error) {
        clearTransfer(c, consult);
        throw error;
      }
      return { callId };
    });
  };

  const transferNotified: DeskCommands['transferNotified'] = (c, code) => {
    if (c.transfer === undefined || c.state === 'ended') return;
    const consult = c.transfer.consultCallId === undefined ? undefined : d.live.get(c.transfer.consultCallId);
    if (code >= 200 && code < 300) {
      // The transferee reached the target (NOTIFY sipfrag 2xx, RFC 3515 §2.4.5): our leg is done.
      for (const leg of consult === undefined ? [c] : [c, consult]) {
        if (leg.state === 'ended') continue;
        leg.localEnd = 'transferred';
        void d.signalling().bye(leg.sid).catch(noop);
        d.end(leg, 'transferred');
      }
    } else if (code >= 300) {
      const target = c.transfer.target;
      d.log('warn', `transfert de ${c.id} vers ${target} en échec (${code}) ; l'appel reste en ligne`);
      clearTransfer(c, consult);
      d.emit({
        type: 'call.transferFailed',
        callId: c.id,
        target,
        sipCode: code,
        message: `Le transfert vers ${target} a échoué (${code}) : l'appel est toujours en ligne.`,
      });
      d.changed(c);
    }
  };

  const dial: DeskCommands['dial'] = async (target) => {
    const signalling = d.signalling();
    await holdOthers(null);
    const id = d.newId();
    let dialled: { sipCallId: string; number: string };
    d.awaitSession(id);
    try {
      dialled = await signalling.dial(id, target);
    } catch (error) {
      d.releaseSession(id);
      // A request that timed out may still leave: make sure it does not ring unseen.
      if (error instanceof VigieError && error.code === 'unavailable') void signalling.cancel(id).catch(noop);
      throw error;
    }
    const number = dialled.number.slice(0, 64);
    const c: Live = {
      id,
      sid: id,
      arrival: d.nextArrival(),
      direction: 'out',
      state: 'dialing',
      line: { number, label: 'Appel sortant', priority: 0, source: null, configured: false },
      caller: { number, name: null },
      offeredAt: d.now(),
      answeredAt: null,
      muted: false,
      busy: false,
      byeReceived: false,
      ...confirmation(),
    };
    d.append('call.offered', {
      callId: c.id,
      direction: 'out',
      sipCallId: dialled.sipCallId.slice(0, 256),
      line: { number, label: c.line.label, priority: 0, configured: false },
      caller: c.caller,
      at: c.offeredAt,
    });
    d.register(c);
    d.changed(c);
    d.releaseSession(id);
    return d.view(c);
  };

  const dtmf: DeskCommands['dtmf'] = async (callId, digits) => {
    const c = d.get(callId);
    if (c.state !== 'active')
      throw new VigieError('conflict', 'Les touches ne peuvent être envoyées que pendant une communication.');
    await confirmed(c);
    await d.signalling().dtmf(c.sid, digits);
    return { callId };
  };

  return {
    answer,
    async hold(callId) {
      const c = d.get(callId);
      return exclusive(c, () => holdLive(c));
    },
    async resume(callId) {
      const c = d.get(callId);
      return exclusive(c, async () => {
        transition(c.state, { kind: 'resume' });
        await holdOthers(c);
        await confirmed(c);
        await d.signalling().reinvite(c.sid, 'resume');
        d.record(c, { kind: 'resume' }, 'call.resumed', { callId: c.id, at: d.now() });
        return d.view(c);
      });
    },
    async hangup(callId) {
      const c = d.get(callId);
      await exclusive(c, () => hangupAs(c, 'operator_hangup'));
      return { callId };
    },
    transfer,
    dial,
    dtmf,
    async mute(callId, muted) {
      const c = d.get(callId);
      if (c.state !== 'active' && c.state !== 'held')
        throw new VigieError('conflict', "Le micro ne se coupe qu'en communication.");
      await d.signalling().mute(c.sid, muted);
      c.muted = muted;
      d.changed(c);
      return d.view(c);
    },
    hangupAs,
    transferNotified,
  };
};
