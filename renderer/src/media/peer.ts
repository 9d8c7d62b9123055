/**
 * One call's audio on the page: its RTCPeerConnection, the microphone it sends and the element that plays
 * the caller. The core drives it through the media.* requests (electron/contract/renderer.ts); this file
 * holds the WebRTC steps, ./handlers.ts the mapping from requests.
 */
import { VigieError } from '../../../electron/contract/index.js';
import type { MediaCallEntry, MediaRegistryStore } from './registry.js';

export type Direction = 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';

/** Non-trickle ICE (the SIP side sends one SDP): how long gathering may take before the SDP goes as it is. */
export const GATHERING_TIMEOUT_MS = 3_000;

const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error)).slice(0, 300);

/** getUserMedia's refusals (Media Capture and Streams, §"getUserMedia"), in the operator's words. */
export const microphoneError = (error: unknown): VigieError => {
  const name = error instanceof Error ? error.name : '';
  const why =
    name === 'NotAllowedError' || name === 'SecurityError'
      ? 'accès au micro refusé (autorisation du système ou de la console)'
      : name === 'NotFoundError'
        ? 'aucun micro branché'
        : name === 'NotReadableError'
          ? 'micro occupé par une autre application ou en panne'
          : name === 'OverconstrainedError'
            ? 'le micro choisi est introuvable'
            : errorText(error);
  return new VigieError('unavailable', `Micro indisponible : ${why}.`);
};

/** Resolves once ICE gathering is complete (or the bound passed: the candidates found so far go). */
export const gathered = (pc: RTCPeerConnection, timeoutMs: number): Promise<void> =>
  new Promise<void>((resolve) => {
    if (pc.iceGatheringState === 'complete') return resolve();
    const done = (): void => {
      clearTimeout(timer);
      pc.removeEventListener('icegatheringstatechange', onState);
      pc.removeEventListener('icecandidate', onCandidate);
      resolve();
    };
    const onState = (): void => {
      if (pc.iceGatheringState === 'complete') done();
    };
    // A null candidate marks the end of gathering (RFC 8829 §3.5.1), sometimes before the state event.
    const onCandidate = (event: RTCPeerConnectionIceEvent): void => {
      if (event.candidate === null) done();
    };
    const timer = setTimeout(done, timeoutMs);
    pc.addEventListener('icegatheringstatechange', onState);
    pc.addEventListener('icecandidate', onCandidate);
  });

export interface OpenOptions {
  callId: string;
  iceServers: RTCIceServer[];
  microphone: MediaTrackConstraints | true;
  registry: MediaRegistryStore;
}

/** Creates the call's connection with the microphone attached; the entry is in the registry when it resolves. */
export const openCall = async (o: OpenOptions): Promise<MediaCallEntry> => {
  // Only the configured servers: WebRTC's defaults may point outside the site (none here). The default
  // bundle policy: a relay's offer (one audio section) may come without a BUNDLE group (RFC 8843).
  const pc = new RTCPeerConnection({ iceServers: o.iceServers });
  let stream: MediaStream;
  try {
    if (typeof navigator.mediaDevices?.getUserMedia !== 'function') {
      throw new VigieError('unavailable', 'Micro indisponible : page sans accès aux périphériques audio.');
    }
    stream = await navigator.mediaDevices.getUserMedia({ audio: o.microphone, video: false });
  } catch (error) {
    pc.close();
    throw error instanceof VigieError ? error : microphoneError(error);
  }
  const microphone = stream.getAudioTracks()[0];
  if (microphone === undefined) {
    pc.close();
    throw new VigieError('unavailable', 'Micro indisponible : aucune piste audio.');
  }
  // addTrack, not addTransceiver: a remote offer set afterwards reuses this transceiver (RFC 8829 §5.10).
  const sender = pc.addTrack(microphone, stream);
  const remote = new MediaStream();
  const audio = typeof document === 'undefined' ? undefined : document.createElement('audio');
  if (audio !== undefined) {
    audio.autoplay = true;
    audio.hidden = true;
    audio.dataset['callId'] = o.callId;
    audio.srcObject = remote;
    document.body.append(audio);
  }
  pc.addEventListener('track', (event) => {
    if (!remote.getTracks().includes(event.track)) remote.addTrack(event.track);
    // Some engines pause a media element whose stream was empty when it was attached.
    void audio?.play().catch(() => undefined);
    o.registry.notify();
  });
  pc.addEventListener('connectionstatechange', () => o.registry.notify());
  const entry: MediaCallEntry = {
    call: { callId: o.callId, pc, microphone, remote, muted: false, onHold: false },
    sender,
    audio,
  };
  o.registry.add(entry);
  return entry;
};

const audioTransceiver = (entry: MediaCallEntry): RTCRtpTransceiver | undefined => {
  const all = entry.call.pc.getTransceivers();
  return all.find((t) => t.sender === entry.sender) ?? all[0];
};

/**
 * Our SDP: the answer when a remote offer is pending, else a new offer; always complete (gathering over).
 * `direction` is ours: sendonly on hold (RFC 3264 §8.4), sendrecv otherwise; the microphone track stays.
 */
export const describeCall = async (
  entry: MediaCallEntry,
  direction: Direction,
  registry: MediaRegistryStore,
  gatheringTimeoutMs = GATHERING_TIMEOUT_MS,
): Promise<{ type: 'offer' | 'answer'; sdp: string }> => {
  const pc = entry.call.pc;
  const transceiver = audioTransceiver(entry);
  if (transceiver !== undefined && transceiver.direction !== 'stopped') transceiver.direction = direction;
  let type: 'offer' | 'answer';
  if (pc.signalingState === 'have-remote-offer') {
    type = 'answer';
    await pc.setLocalDescription(await pc.createAnswer());
  } else {
    // An offer of ours left unanswered (a refused re-INVITE) is withdrawn before the next (RFC 8829 §4.1.10.2).
    if (pc.signalingState === 'have-local-offer') await pc.setLocalDescription({ type: 'rollback' });
    type = 'offer';
    await pc.setLocalDescription(await pc.createOffer());
  }
  await gathered(pc, gatheringTimeoutMs);
  const sdp = pc.localDescription?.sdp;
  if (sdp === undefined || sdp === '') throw new VigieError('internal', 'Description audio locale absente.');
  registry.update(entry.call.callId, { onHold: direction !== 'sendrecv' });
  return { type, sdp };
};

export const setRemote = async (entry: MediaCallEntry, type: 'offer' | 'answer', sdp: string): Promise<void> => {
  const pc = entry.call.pc;
  if (type === 'answer' && pc.signalingState !== 'have-local-offer') {
    throw new VigieError('conflict', 'Réponse SDP reçue sans offre en cours.');
  }
  try {
    // An offer crossing ours (glare, RFC 3261 §14.2) replaces it.
    if (type === 'offer' && pc.signalingState === 'have-local-offer')
      await pc.setLocalDescription({ type: 'rollback' });
    await pc.setRemoteDescription({ type, sdp });
  } catch (error) {
    throw new VigieError('invalid_argument', `SDP du correspondant refusé par le navigateur : ${errorText(error)}`);
  }
};

/** RFC 4733 telephone-events through the sender's RTCDTMFSender; false when none was negotiated. */
export const sendTones = (entry: MediaCallEntry, tones: string, durationMs = 100, gapMs = 70): boolean => {
  const dtmf = entry.sender?.dtmf;
  if (dtmf === undefined || dtmf === null || !dtmf.canInsertDTMF) return false;
  dtmf.insertDTMF(tones, durationMs, gapMs);
  return true;
};

/** Mute stops sending the microphone's sound (silence is sent), not the call: the caller is still heard. */
export const setMuted = (entry: MediaCallEntry, muted: boolean, registry: MediaRegistryStore): void => {
  const track = entry.call.microphone;
  if (track !== undefined) track.enabled = !muted;
  registry.update(entry.call.callId, { muted });
};

export const closeCall = (entry: MediaCallEntry): void => {
  entry.call.pc.close();
  entry.call.microphone?.stop();
  if (entry.audio !== undefined) {
    entry.audio.srcObject = null;
    entry.audio.remove();
  }
};
