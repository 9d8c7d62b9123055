/**
 * What the watchdog and the quality estimate need from RTCPeerConnection.getStats (W3C webrtc-stats): the
 * audio inbound-rtp (what the caller sends us), the outbound-rtp, the remote-inbound-rtp (the far end's
 * RTCP receiver reports on what we send: loss, jitter, round trip) and the selected candidate pair.
 * Pure: it reads plain stat objects, so it is tested without a browser.
 */
import type { DirectionQuality } from '../../../electron/contract/voice.js';
import { mosFromR, rating } from './emodel.js';

export interface CallStats {
  inbound: {
    packetsReceived: number;
    packetsLost: number;
    jitterS: number;
    /** Linear 0–1; from the energy over the last interval when both samples have it (see inboundLevel). */
    audioLevel: number | null;
    totalAudioEnergy: number | null;
    totalSamplesDuration: number | null;
    /** Mean time a sample spent in the jitter buffer, s. */
    jitterBufferS: number | null;
  } | null;
  outbound: { packetsSent: number } | null;
  remoteInbound: { packetsLost: number; jitterS: number; rttS: number | null } | null;
  /** Round trip of the selected ICE candidate pair (STUN consent checks), s. */
  pairRttS: number | null;
}

const num = (o: Record<string, unknown>, key: string): number | null => {
  const v = o[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
};

export const readCallStats = (stats: Iterable<Record<string, unknown>>): CallStats => {
  const out: CallStats = { inbound: null, outbound: null, remoteInbound: null, pairRttS: null };
  for (const s of stats) {
    if (s.kind !== undefined && s.kind !== 'audio') continue;
    if (s.type === 'inbound-rtp') {
      const buffer = num(s, 'jitterBufferDelay');
      const emitted = num(s, 'jitterBufferEmittedCount');
      out.inbound = {
        packetsReceived: num(s, 'packetsReceived') ?? 0,
        packetsLost: Math.max(0, num(s, 'packetsLost') ?? 0),
        jitterS: num(s, 'jitter') ?? 0,
        audioLevel: num(s, 'audioLevel'),
        totalAudioEnergy: num(s, 'totalAudioEnergy'),
        totalSamplesDuration: num(s, 'totalSamplesDuration'),
        jitterBufferS: buffer !== null && emitted !== null && emitted > 0 ? buffer / emitted : null,
      };
    } else if (s.type === 'outbound-rtp') {
      out.outbound = { packetsSent: num(s, 'packetsSent') ?? 0 };
    } else if (s.type === 'remote-inbound-rtp') {
      out.remoteInbound = {
        packetsLost: Math.max(0, num(s, 'packetsLost') ?? 0),
        jitterS: num(s, 'jitter') ?? 0,
        rttS: num(s, 'roundTripTime'),
      };
    } else if (s.type === 'candidate-pair' && (s.nominated === true || s.state === 'succeeded')) {
      const rtt = num(s, 'currentRoundTripTime');
      if (rtt !== null) out.pairRttS = rtt;
    }
  }
  return out;
};

/**
 * The inbound level over the interval between two samples: √(ΔtotalAudioEnergy / ΔtotalSamplesDuration)
 * is the RMS of what was played out (webrtc-stats, totalAudioEnergy), steadier than the instant audioLevel.
 */
export const inboundLevel = (previous: CallStats | null, current: CallStats): number | null => {
  const a = previous?.inbound;
  const b = current.inbound;
  if (b === null) return null;
  if (
    a !== undefined &&
    a !== null &&
    a.totalAudioEnergy !== null &&
    b.totalAudioEnergy !== null &&
    a.totalSamplesDuration !== null &&
    b.totalSamplesDuration !== null &&
    b.totalSamplesDuration > a.totalSamplesDuration
  ) {
    const energy = Math.max(0, b.totalAudioEnergy - a.totalAudioEnergy);
    return Math.sqrt(energy / (b.totalSamplesDuration - a.totalSamplesDuration));
  }
  return b.audioLevel;
};

/** G.711 at 20 ms per packet: one packet's worth of delay at the sender before the network. */
const PACKETIZATION_MS = 20;

const round = (v: number, digits: number): number => Math.round(v * 10 ** digits) / 10 ** digits;

const quality = (
  packets: number,
  lost: number,
  jitterS: number,
  rttS: number | null,
  bufferS: number,
): DirectionQuality => {
  const lossPct = packets + lost > 0 ? (100 * lost) / (packets + lost) : 0;
  const rttMs = rttS === null ? null : rttS * 1000;
  // Mouth-to-ear one way: half the round trip, the packetization and the receiver's jitter buffer.
  const delayMs = (rttMs ?? 0) / 2 + PACKETIZATION_MS + bufferS * 1000;
  const r = rating(delayMs, lossPct);
  return {
    packets,
    lossPct: round(lossPct, 2),
    jitterMs: round(jitterS * 1000, 1),
    rttMs: rttMs === null ? null : round(rttMs, 1),
    delayMs: round(delayMs, 1),
    r: round(Math.max(-100, Math.min(150, r)), 1),
    mos: round(mosFromR(r), 2),
  };
};

/**
 * Per direction, over the call so far. Inbound: our own receiver's counts and buffer. Outbound: the far
 * end's receiver reports (RTCP RR); its jitter buffer is unknown, so twice its jitter stands for it.
 */
export const callQuality = (s: CallStats): { inbound: DirectionQuality | null; outbound: DirectionQuality | null } => {
  const rtt = s.remoteInbound?.rttS ?? s.pairRttS;
  const inbound =
    s.inbound === null
      ? null
      : quality(
          s.inbound.packetsReceived,
          s.inbound.packetsLost,
          s.inbound.jitterS,
          rtt,
          s.inbound.jitterBufferS ?? 2 * s.inbound.jitterS,
        );
  const outbound =
    s.outbound === null || s.remoteInbound === null
      ? null
      : quality(
          Math.max(0, s.outbound.packetsSent - s.remoteInbound.packetsLost),
          s.remoteInbound.packetsLost,
          s.remoteInbound.jitterS,
          rtt,
          2 * s.remoteInbound.jitterS,
        );
  return { inbound, outbound };
};
