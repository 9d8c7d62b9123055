/**
 * The core's half of 'renderer' media (docs/architecture.md, "Two-way contract"): the SIP child's media
 * steps (channel.ts `media`) become `media.*` requests to the page that owns the position's audio, and
 * their outcome goes back as one `mediaResult`. Whatever the page or the child sends, this never throws:
 * a failure is a French message in the result, which the child turns into a sip.js failure.
 *
 * Steps of one session run one after the other (a close never overtakes the open it undoes); sessions
 * do not wait for each other. The page's call id carries the child's generation, so that a session id
 * reused by a restarted child never reaches a peer connection left over from the previous one.
 */
import { VigieError } from '../../contract/result.js';
import type { RendererLink } from '../kernel/renderer-link.js';
import type { MediaRequest, MediaResult } from './channel.js';
import type { TelephonyConfig } from './config.js';

/** What the relay needs of the kernel's renderer link. */
export type MediaOwnerLink = Pick<RendererLink, 'mediaOwner' | 'onMediaOwner' | 'request'>;

export const NO_MEDIA_OWNER_MESSAGE =
  'Aucun écran ne gère l’audio de ce poste : ouvrez la console Vigie pour décrocher (l’appel continue de sonner).';

export interface MediaRelay {
  handle(request: MediaRequest): void;
  /** Throws the French refusal when no page owns the audio (before answering or dialling). */
  requireOwner(): void;
  /** The session whose media has this page id, if it is open. */
  sidOf(callId: string): string | undefined;
  /** The child died: its sessions' media are closed on the page, the next child's ids are new. */
  reset(): void;
  /** The position stops: every open media is closed. */
  stop(): Promise<void>;
}

export interface MediaRelayOptions {
  link: MediaOwnerLink;
  iceServers: TelephonyConfig['iceServers'];
  reply: (result: MediaResult) => void;
  log: (level: 'info' | 'warn' | 'error', message: string) => void;
}

const reason = (error: unknown): string =>
  error instanceof VigieError || error instanceof Error ? error.message : String(error);

export const createMediaRelay = (o: MediaRelayOptions): MediaRelay => {
  let generation = 1;
  /** Page call ids opened, by session id of the current child. */
  const opened = new Map<string, string>();
  /** The tail of each session's chain of steps. */
  const chains = new Map<string, Promise<void>>();

  const callIdOf = (sid: string): string => `g${generation}-${sid}`.slice(0, 64);

  const ensureOpen = async (sid: string): Promise<string> => {
    const known = opened.get(sid);
    if (known !== undefined) return known;
    const callId = callIdOf(sid);
    // The contract's ICE server schema is stricter than the configuration's: a bad entry is refused there.
    await o.link.request('media.open', { callId, iceServers: o.iceServers });
    opened.set(sid, callId);
    return callId;
  };

  const run = async (request: MediaRequest): Promise<Omit<Extract<MediaResult, { ok: true }>, 't' | 'id'>> => {
    switch (request.op) {
      case 'getDescription': {
        const callId = await ensureOpen(request.sid);
        const local = await o.link.request('media.getDescription', { callId, direction: request.direction });
        return { ok: true, sdp: local.sdp };
      }
      case 'setDescription': {
        const callId = await ensureOpen(request.sid);
        await o.link.request('media.setDescription', { callId, type: request.type, sdp: request.sdp });
        return { ok: true };
      }
      case 'dtmf': {
        const callId = opened.get(request.sid);
        if (callId === undefined) return { ok: true, sent: false };
        const result = await o.link.request('media.dtmf', { callId, tones: request.tones });
        return { ok: true, sent: result.sent };
      }
      case 'mute': {
        const callId = opened.get(request.sid);
        if (callId !== undefined) await o.link.request('media.mute', { callId, muted: request.muted });
        return { ok: true };
      }
      case 'close': {
        const callId = opened.get(request.sid);
        opened.delete(request.sid);
        if (callId !== undefined) await o.link.request('media.close', { callId });
        return { ok: true };
      }
    }
  };

  const closeOnPage = (callId: string): Promise<void> =>
    o.link.request('media.close', { callId }).then(
      () => undefined,
      (error: unknown) => o.log('warn', `audio ${callId} non fermé sur l’écran : ${reason(error)}`),
    );

  // A new media owner (the page reloaded, another window took over) has none of the old connections:
  // the next step of a call opens a fresh one there instead of naming one that does not exist.
  o.link.onMediaOwner(() => opened.clear());

  return {
    handle(request) {
      const previous = chains.get(request.sid) ?? Promise.resolve();
      const next = previous.then(async () => {
        let result: MediaResult;
        try {
          result = { t: 'mediaResult', id: request.id, ...(await run(request)) };
        } catch (error) {
          const message = `Audio : ${reason(error)}`.slice(0, 2_000);
          o.log('warn', `${request.op} ${request.sid} : ${message}`);
          result = { t: 'mediaResult', id: request.id, ok: false, message };
        }
        try {
          o.reply(result);
        } catch (error) {
          o.log('error', `réponse audio non transmise au processus SIP : ${reason(error)}`);
        }
      });
      chains.set(request.sid, next);
      // The last step of a session forgets its chain; a step cannot reject (caught above).
      void next.then(() => {
        if (chains.get(request.sid) === next) chains.delete(request.sid);
      });
    },
    sidOf(callId) {
      for (const [sid, id] of opened) if (id === callId) return sid;
      return undefined;
    },
    requireOwner() {
      if (o.link.mediaOwner() === null) throw new VigieError('unavailable', NO_MEDIA_OWNER_MESSAGE);
    },
    reset() {
      const stale = [...opened.values()];
      opened.clear();
      chains.clear();
      generation += 1;
      for (const callId of stale) void closeOnPage(callId);
    },
    async stop() {
      const stale = [...opened.values()];
      opened.clear();
      await Promise.all(stale.map(closeOnPage));
    },
  };
};
