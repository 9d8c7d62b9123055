import { describe, expect, it } from 'vitest';
import { voiceConfigSchema } from '../../../electron/contract/voice.js';
import { initialWatchdog, stepWatchdog, type WatchdogSample, type WatchdogState } from './watchdog.js';

const config = voiceConfigSchema.parse({}).watchdog; // noRtpS 5, inboundSilenceS 10, micSilenceS 20

/** Feeds one sample per second from t = 0 and returns every change with the second it happened. */
const run = (samples: Omit<WatchdogSample, 'at'>[]) => {
  let state: WatchdogState = initialWatchdog();
  const seen: string[] = [];
  samples.forEach((s, i) => {
    const step = stepWatchdog(state, { ...s, at: i * 1000 }, config);
    state = step.state;
    for (const c of step.changes) seen.push(`${i}:${c.alarm}:${c.state}`);
  });
  return { seen, state };
};

const talking = { inboundLevel: 0.1, micLevel: 0.05, onHold: false, muted: false };

describe('audio watchdog', () => {
  it('stays quiet on a call with RTP, inbound sound and a live microphone', () => {
    const { seen } = run(Array.from({ length: 30 }, (_, i) => ({ ...talking, packetsReceived: 50 * (i + 1) })));
    expect(seen).toEqual([]);
  });

  it('raises « no RTP » after noRtpS without a new packet, and clears it when packets come back', () => {
    const packets = [50, 100, 150, 150, 150, 150, 150, 150, 150, 200, 250];
    const { seen } = run(packets.map((p) => ({ ...talking, packetsReceived: p })));
    // The counter stops moving at t = 3; five seconds later (t = 8) the alarm; t = 9 packets again.
    expect(seen).toEqual(['8:no-rtp:raised', '9:no-rtp:cleared']);
  });

  it('raises « silence entrant » when packets arrive but carry silence for inboundSilenceS', () => {
    const samples = Array.from({ length: 14 }, (_, i) => ({
      ...talking,
      packetsReceived: 50 * (i + 1),
      inboundLevel: i >= 2 ? 0 : 0.1,
    }));
    expect(run(samples).seen).toEqual(['12:inbound-silence:raised']);
  });

  it('does not count while on hold, and raises a dead microphone unless muted', () => {
    const held = Array.from({ length: 12 }, () => ({ ...talking, packetsReceived: 50, onHold: true }));
    expect(run(held).seen).toEqual([]);
    const dead = Array.from({ length: 25 }, (_, i) => ({ ...talking, packetsReceived: 50 * (i + 1), micLevel: 0 }));
    expect(run(dead).seen).toEqual(['20:mic-silent:raised']);
    const muted = dead.map((s) => ({ ...s, muted: true }));
    expect(run(muted).seen).toEqual([]);
  });
});
