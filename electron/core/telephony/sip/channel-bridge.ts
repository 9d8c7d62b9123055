/**
 * The SIP child's MediaBridge in 'renderer' media mode: every media step of a session goes to the core as
 * a `media` message (channel.ts), which the core's media relay (../media-relay.ts) turns into a request
 * to the media-owner page (contract/renderer.ts). Each request is bounded here too, so that a core or page
 * that never answers fails the sip.js operation instead of leaving it hanging.
 *
 * An incoming call is negotiated before its 200 OK is sent (prepareAnswer): the page sets the caller's
 * offer and produces its complete answer while the call still rings, so that a page that cannot take the
 * call (no microphone, a refused permission, a timeout) leaves it ringing with a French reason instead of
 * answering it without audio.
 */
import type { FromChild, MediaRequest, MediaResult } from '../channel.js';
import { checkRemoteSdp, type MediaBridge } from './media.js';

/** Longest wait for one media step: above the page's own bounds (ICE gathering, contract/renderer.ts). */
export const MEDIA_STEP_TIMEOUT_MS = 12_000;
/** Longest wait for the whole negotiation before a 200 OK: below the core's answer timeout (service.ts). */
export const PREPARE_TIMEOUT_MS = 8_000;

type Ok = Extract<MediaResult, { ok: true }>;
type Step = MediaRequest extends infer R ? (R extends MediaRequest ? Omit<R, 't' | 'id'> : never) : never;

export interface ChannelBridge extends MediaBridge {
  /** Sets the caller's offer and computes the answer now; the 200 OK then carries it without waiting. */
  prepareAnswer(sessionId: string, offer: string): Promise<void>;
  /** A `mediaResult` from the core. */
  onResult(result: MediaResult): void;
  /** The child stops: every pending step fails. */
  stop(): void;
}

export const createChannelBridge = (o: {
  post: (message: FromChild) => void;
  log: (level: 'info' | 'warn' | 'error', message: string) => void;
  stepTimeoutMs?: number;
  prepareTimeoutMs?: number;
}): ChannelBridge => {
  const stepTimeoutMs = o.stepTimeoutMs ?? MEDIA_STEP_TIMEOUT_MS;
  const prepareTimeoutMs = o.prepareTimeoutMs ?? PREPARE_TIMEOUT_MS;
  const pending = new Map<number, { resolve: (r: Ok) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }>();
  /** Sessions that reached the media at least once: only those are closed there. */
  const touched = new Set<string>();
  /** Answers computed by prepareAnswer, for the offer they answer. */
  const prepared = new Map<string, { offer: string; answer: string }>();
  let nextId = 1;

  const step = (request: Step): Promise<Ok> => {
    const id = nextId++;
    touched.add(request.sid);
    return new Promise<Ok>((resolve, reject) => {
      const timer = setTimeout(() => {
        pending.delete(id);
        reject(new Error(`le poste n’a pas répondu en ${Math.round(stepTimeoutMs / 1000)} s (${request.op})`));
      }, stepTimeoutMs);
      pending.set(id, { resolve, reject, timer });
      o.post({ t: 'media', id, ...request });
    });
  };

  const bridge: ChannelBridge = {
    async getLocal(sid, request) {
      const ready = prepared.get(sid);
      if (request.kind === 'answer' && ready !== undefined && !request.hold) {
        prepared.delete(sid);
        return ready.answer;
      }
      prepared.delete(sid);
      // Hold is ours to announce: sendonly, whether we offer or answer (RFC 3264 §8.4).
      const result = await step({ sid, op: 'getDescription', direction: request.hold ? 'sendonly' : 'sendrecv' });
      if (result.sdp === undefined) throw new Error('le poste n’a pas donné de description SDP');
      return result.sdp;
    },
    async setRemote(sid, sdp, kind) {
      // The offer prepareAnswer already gave the page (sip.js gives it again when it accepts).
      if (kind === 'offer' && prepared.get(sid)?.offer === sdp) return;
      prepared.delete(sid);
      await step({ sid, op: 'setDescription', type: kind, sdp });
    },
    async sendDtmf(sid, tones) {
      if (!touched.has(sid)) return false;
      const result = await step({ sid, op: 'dtmf', tones });
      return result.sent === true;
    },
    async setMuted(sid, muted) {
      if (!touched.has(sid)) return;
      await step({ sid, op: 'mute', muted });
    },
    close(sid) {
      prepared.delete(sid);
      if (!touched.delete(sid)) return;
      step({ sid, op: 'close' }).catch((error: unknown) =>
        o.log('warn', `fermeture de l’audio de ${sid} : ${error instanceof Error ? error.message : String(error)}`),
      );
    },
    async prepareAnswer(sid, offer) {
      checkRemoteSdp(offer);
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`audio non prêt en ${Math.round(prepareTimeoutMs / 1000)} s`)),
          prepareTimeoutMs,
        );
      });
      try {
        const answer = await Promise.race([
          (async () => {
            await step({ sid, op: 'setDescription', type: 'offer', sdp: offer });
            const result = await step({ sid, op: 'getDescription', direction: 'sendrecv' });
            if (result.sdp === undefined) throw new Error('le poste n’a pas donné de description SDP');
            return result.sdp;
          })(),
          deadline,
        ]);
        prepared.set(sid, { offer, answer });
      } catch (error) {
        // Nothing half-done stays on the page: the call rings on, without media until it is answered.
        bridge.close(sid);
        throw error;
      } finally {
        clearTimeout(timer);
      }
    },
    onResult(result) {
      const p = pending.get(result.id);
      if (p === undefined) return; // timed out already
      pending.delete(result.id);
      clearTimeout(p.timer);
      if (result.ok) p.resolve(result);
      else p.reject(new Error(result.message));
    },
    stop() {
      for (const [id, p] of pending) {
        clearTimeout(p.timer);
        p.reject(new Error('processus SIP arrêté'));
        pending.delete(id);
      }
    },
  };
  return bridge;
};
