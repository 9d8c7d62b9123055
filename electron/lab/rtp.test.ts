import { createSocket } from 'node:dgram';
import { describe, expect, it } from 'vitest';
import {
  alawToLinear,
  decode,
  encode,
  linearToAlaw,
  linearToUlaw,
  rms,
  toneFrames,
  tonePower,
  ulawToLinear,
} from './g711.js';
import { RtpEndpoint } from './rtp.js';

const until = async (check: () => boolean, timeoutMs = 3_000): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('délai dépassé');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

describe('G.711', () => {
  it('round-trips samples within the companding step, both laws', () => {
    for (const sample of [0, 1, -1, 100, -100, 1_000, -5_000, 12_345, -32_768, 32_767]) {
      const tolerance = Math.max(16, Math.abs(sample) / 16); // ~4 bits of mantissa per segment
      expect(Math.abs(ulawToLinear(linearToUlaw(sample)) - sample)).toBeLessThanOrEqual(tolerance);
      expect(Math.abs(alawToLinear(linearToAlaw(sample)) - sample)).toBeLessThanOrEqual(tolerance);
    }
    // Known code points: µ-law silence is 0xFF, A-law silence 0xD5 (ITU-T G.711 tables 1 and 2).
    expect(linearToUlaw(0)).toBe(0xff);
    expect(linearToAlaw(0)).toBe(0xd5);
  });

  it('tells a tone from another frequency, and keeps its level through the codec', () => {
    const frame = toneFrames(600, 0.5)();
    const decoded = decode('PCMA', encode('PCMA', frame));
    expect(rms(decoded)).toBeCloseTo(0.5 / Math.SQRT2, 1);
    expect(tonePower(decoded, 600)).toBeGreaterThan(0.1);
    expect(tonePower(decoded, 1000)).toBeLessThan(0.01);
  });
});

describe('RTP endpoint', () => {
  it('sends 20 ms packets of its tone; the receiver counts them and recognises the tone', async () => {
    const a = await RtpEndpoint.open({ toneHz: 600 });
    const b = await RtpEndpoint.open({ detectHz: 600 });
    const c = await RtpEndpoint.open({ toneHz: 1000, codec: 'PCMU' });
    const d = await RtpEndpoint.open({ detectHz: 600 });
    try {
      a.start({ host: '127.0.0.1', port: b.port });
      c.start({ host: '127.0.0.1', port: d.port });
      await until(() => b.stats().packetsReceived >= 20 && d.stats().packetsReceived >= 20);
      expect(b.stats().toneShareReceived).toBeGreaterThan(0.9);
      expect(b.stats().energyReceived).toBeGreaterThan(0.1);
      expect(d.stats().toneShareReceived).toBeLessThan(0.1); // audio, but not the expected tone
      expect(d.stats().energyReceived).toBeGreaterThan(0.1);
    } finally {
      for (const e of [a, b, c, d]) e.close();
    }
  });

  it('marks burst onsets when sending and detects them when receiving', async () => {
    const a = await RtpEndpoint.open({ toneHz: 600, bursts: { onMs: 100, offMs: 200 } });
    const b = await RtpEndpoint.open({ detectHz: 600 });
    try {
      a.start({ host: '127.0.0.1', port: b.port });
      await until(() => b.stats().onsetsReceivedAt.length >= 3);
      const sent = a.stats().burstsSentAt;
      const heard = b.stats().onsetsReceivedAt;
      expect(sent.length).toBeGreaterThanOrEqual(3);
      // Each onset heard follows the burst sent (loopback: a few ms, never before it).
      for (let i = 0; i < 3; i += 1) expect((heard[i] ?? 0) - (sent[i] ?? 0)).toBeGreaterThanOrEqual(0);
    } finally {
      a.close();
      b.close();
    }
  });

  it('decodes RFC 4733 telephone-events once per event, whatever the repeated end packets', async () => {
    const b = await RtpEndpoint.open({ telephoneEventPt: 101 });
    const socket = createSocket('udp4');
    try {
      const packet = (seq: number, ts: number, event: number, end: boolean): Buffer => {
        const p = Buffer.alloc(16);
        p[0] = 0x80;
        p[1] = 101;
        p.writeUInt16BE(seq, 2);
        p.writeUInt32BE(ts, 4);
        p.writeUInt32BE(0x1234, 8);
        p[12] = event;
        p[13] = (end ? 0x80 : 0) | 10;
        p.writeUInt16BE(800, 14);
        return p;
      };
      const events: [number, number][] = [
        [1, 1_000],
        [11, 3_000],
        [10, 5_000],
      ];
      let seq = 0;
      for (const [event, ts] of events) {
        for (const end of [false, false, true, true, true]) {
          socket.send(packet((seq += 1), ts, event, end), b.port, '127.0.0.1');
        }
      }
      await until(() => b.stats().packetsReceived >= 15);
      expect(b.stats().dtmfReceived).toEqual(['1', '#', '*']);
    } finally {
      socket.close();
      b.close();
    }
  });
});
