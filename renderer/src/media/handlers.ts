/**
 * The media owner's answers to the core's media.* requests (electron/contract/renderer.ts): one
 * RTCPeerConnection per call, kept in the media registry. Arguments arrive parsed (rendererRequests.ts);
 * every failure is a VigieError with a French message, which the core hands to the SIP side.
 */
import { VigieError, type RendererHandler, type RendererMethod } from '../../../electron/contract/index.js';
import { closeCall, describeCall, GATHERING_TIMEOUT_MS, openCall, sendTones, setMuted, setRemote } from './peer.js';
import { mediaRegistry, type MediaCallEntry, type MediaRegistryStore } from './registry.js';

type MediaMethod = Exclude<Extract<RendererMethod, `media.${string}`>, 'media.devices'>;
export type MediaHandlers = { [M in MediaMethod]: RendererHandler<M> };

export interface MediaHandlerOptions {
  /** What getUserMedia gets for the microphone (the position's chosen device, renderer/src/voice/preferences.ts). */
  microphone: () => MediaTrackConstraints | true;
  registry?: MediaRegistryStore;
  gatheringTimeoutMs?: number;
}

export const createMediaHandlers = (o: MediaHandlerOptions): MediaHandlers => {
  const registry = o.registry ?? mediaRegistry;
  const gatheringTimeoutMs = o.gatheringTimeoutMs ?? GATHERING_TIMEOUT_MS;
  /** Opens in progress: a second open, or a close, waits for the first instead of racing it. */
  const opening = new Map<string, Promise<MediaCallEntry>>();

  const find = async (callId: string): Promise<MediaCallEntry> => {
    const entry = registry.entry(callId) ?? (await opening.get(callId)?.catch(() => undefined));
    if (entry === undefined) throw new VigieError('not_found', `Audio de l’appel ${callId} inconnu sur cet écran.`);
    return entry;
  };

  return {
    'media.open': async ({ callId, iceServers }) => {
      if (registry.entry(callId) !== undefined) return {};
      const pending =
        opening.get(callId) ??
        openCall({ callId, iceServers, microphone: o.microphone(), registry }).finally(() => opening.delete(callId));
      opening.set(callId, pending);
      await pending;
      return {};
    },
    'media.getDescription': async ({ callId, direction }) =>
      describeCall(await find(callId), direction, registry, gatheringTimeoutMs),
    'media.setDescription': async ({ callId, type, sdp }) => {
      await setRemote(await find(callId), type, sdp);
      return {};
    },
    'media.dtmf': async ({ callId, tones, durationMs, gapMs }) => ({
      sent: sendTones(await find(callId), tones, durationMs, gapMs),
    }),
    'media.mute': async ({ callId, muted }) => {
      setMuted(await find(callId), muted, registry);
      return {};
    },
    'media.close': async ({ callId }) => {
      await opening.get(callId)?.catch(() => undefined);
      const entry = registry.remove(callId);
      if (entry !== undefined) closeCall(entry);
      return {};
    },
  };
};
