import { describe, expect, it } from 'vitest';
import { callQuality, inboundLevel, readCallStats } from './stats.js';

// Stat objects shaped as Chromium's getStats() gives them (W3C webrtc-stats), trimmed to what is read.
const report = (inbound: Record<string, unknown>) => [
  { type: 'inbound-rtp', kind: 'audio', packetsReceived: 990, packetsLost: 10, jitter: 0.004, ...inbound },
  { type: 'outbound-rtp', kind: 'audio', packetsSent: 1000 },
  { type: 'remote-inbound-rtp', kind: 'audio', packetsLost: 50, jitter: 0.002, roundTripTime: 0.04 },
  { type: 'candidate-pair', nominated: true, state: 'succeeded', currentRoundTripTime: 0.001 },
  { type: 'inbound-rtp', kind: 'video', packetsReceived: 5 },
];

describe('getStats reading and per-direction quality', () => {
  it('reads the audio streams and ignores others', () => {
    const s = readCallStats(report({}));
    expect(s.inbound?.packetsReceived).toBe(990);
    expect(s.remoteInbound?.rttS).toBe(0.04);
    expect(s.pairRttS).toBe(0.001);
  });

  it('computes loss, delay and MOS for each direction separately', () => {
    const q = callQuality(readCallStats(report({ jitterBufferDelay: 40, jitterBufferEmittedCount: 1000 })));
    expect(q.inbound?.lossPct).toBe(1); // 10 of 1000
    expect(q.inbound?.delayMs).toBe(80); // 40/2 + 20 + 40
    expect(q.outbound?.lossPct).toBe(5); // 50 of 1000 per the far end's receiver reports
    expect(q.inbound?.mos ?? 0).toBeGreaterThan(q.outbound?.mos ?? 5);
    expect(q.outbound?.rttMs).toBe(40);
  });

  it('has no outbound figure before the first receiver report', () => {
    const s = readCallStats(report({}).filter((x) => x.type !== 'remote-inbound-rtp'));
    expect(callQuality(s).outbound).toBeNull();
    expect(callQuality(s).inbound?.rttMs).toBe(1); // the candidate pair's round trip stands in
  });

  it('takes the inbound level from the energy over the interval', () => {
    const a = readCallStats(report({ totalAudioEnergy: 1, totalSamplesDuration: 10, audioLevel: 0.9 }));
    const b = readCallStats(report({ totalAudioEnergy: 1.04, totalSamplesDuration: 11, audioLevel: 0.9 }));
    expect(inboundLevel(a, b)).toBeCloseTo(0.2, 5); // √(0.04 / 1)
    expect(inboundLevel(null, b)).toBe(0.9);
  });
});
