/**
 * The pre-shift self-test (issue 9 item 7): the microphone's level over 1.5 s, a playback on the headset
 * and on the ring device, and a media round trip. The round trip is a loop of two RTCPeerConnections in
 * this page with no ICE server (the console's own setting): the microphone is sent over ICE and
 * DTLS-SRTP on loopback and must come back as RTP, and the candidate pair's STUN round trip is measured.
 * It proves the page's whole WebRTC media stack, not the site's relay: that needs an echo service behind
 * it, which the lab does not have yet. The core writes the result and a main courante entry.
 */
import type { SelfTestResult } from '../../../electron/contract/voice.js';
import { meterFor } from './level.js';
import { microphoneConstraints, type AudioPreferences } from './preferences.js';
import type { Ringer } from './ringer.js';
import { readCallStats } from './stats.js';

const MIC_MS = 1500;
const PLAY_MS = 600;
const LOOP_TIMEOUT_MS = 8000;
/** −60 dBFS: what a connected microphone picks up in a quiet room is above it. */
const MIC_OK_LEVEL = 0.001;

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error)).slice(0, 200);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const testMicrophone = async (track: MediaStreamTrack): Promise<SelfTestResult['microphone']> => {
  const meter = meterFor(track);
  let level = 0;
  const end = Date.now() + MIC_MS;
  while (Date.now() < end) {
    level = Math.max(level, meter.read());
    await sleep(50);
  }
  meter.close();
  const ok = level >= MIC_OK_LEVEL;
  return { ok, level: Math.min(1, level), detail: ok ? track.label.slice(0, 120) : 'aucun signal' };
};

const testPlayback = async (
  ringer: Ringer,
  which: 'ring' | 'busy',
  deviceId: string | undefined,
): Promise<SelfTestResult['ring']> => {
  try {
    await ringer.probe(which, deviceId, PLAY_MS);
    return { ok: true, detail: deviceId === undefined ? 'sortie par défaut' : '' };
  } catch (error) {
    return { ok: false, detail: message(error) };
  }
};

const testLoop = async (track: MediaStreamTrack): Promise<SelfTestResult['relay']> => {
  const a = new RTCPeerConnection({ iceServers: [] });
  const b = new RTCPeerConnection({ iceServers: [] });
  try {
    a.onicecandidate = (e) => void (e.candidate === null ? undefined : b.addIceCandidate(e.candidate));
    b.onicecandidate = (e) => void (e.candidate === null ? undefined : a.addIceCandidate(e.candidate));
    a.addTrack(track, new MediaStream([track]));
    await a.setLocalDescription();
    if (a.localDescription === null) throw new Error('pas d’offre locale');
    await b.setRemoteDescription(a.localDescription);
    await b.setLocalDescription();
    if (b.localDescription === null) throw new Error('pas de réponse locale');
    await a.setRemoteDescription(b.localDescription);
    const end = Date.now() + LOOP_TIMEOUT_MS;
    while (Date.now() < end) {
      await sleep(250);
      const received = readCallStats((await b.getStats()).values());
      const sent = readCallStats((await a.getStats()).values());
      if ((received.inbound?.packetsReceived ?? 0) > 0 && sent.pairRttS !== null) {
        return {
          ok: true,
          rttMs: sent.pairRttS * 1000,
          detail: `boucle WebRTC locale, ${received.inbound?.packetsReceived ?? 0} paquets RTP revenus`,
        };
      }
    }
    return { ok: false, rttMs: null, detail: 'aucun paquet RTP revenu de la boucle WebRTC locale' };
  } finally {
    a.close();
    b.close();
  }
};

export const runSelfTest = async (prefs: AudioPreferences, ringer: Ringer): Promise<SelfTestResult> => {
  let stream: MediaStream | null = null;
  try {
    stream = await navigator.mediaDevices.getUserMedia({ audio: microphoneConstraints(prefs), video: false });
  } catch (error) {
    const failed = { ok: false, detail: `micro inaccessible : ${message(error)}` };
    return {
      microphone: { ...failed, level: 0 },
      headset: await testPlayback(ringer, 'busy', prefs.headsetId),
      ring: await testPlayback(ringer, 'ring', prefs.ringId),
      relay: { ...failed, rttMs: null },
    };
  }
  try {
    const [track] = stream.getAudioTracks();
    if (track === undefined) throw new Error('aucune piste audio');
    const microphone = await testMicrophone(track);
    const headset = await testPlayback(ringer, 'busy', prefs.headsetId);
    const ring = await testPlayback(ringer, 'ring', prefs.ringId);
    const relay = await testLoop(track).catch((error: unknown) => ({ ok: false, rttMs: null, detail: message(error) }));
    return { microphone, headset, ring, relay };
  } finally {
    for (const t of stream.getTracks()) t.stop();
  }
};
