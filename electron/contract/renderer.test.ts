import { describe, expect, it } from 'vitest';
import { isRendererMethod, MAX_SDP_BYTES, rendererRequests } from './renderer.js';
import { clientFrameSchema, rendererRequestFrameSchema } from './wire.js';

const args = rendererRequests;

describe('core → renderer contract', () => {
  it('knows its methods and nothing else', () => {
    expect(Object.keys(rendererRequests).sort()).toEqual([
      'media.close',
      'media.devices',
      'media.dtmf',
      'media.getDescription',
      'media.mute',
      'media.open',
      'media.setDescription',
    ]);
    expect(isRendererMethod('media.open')).toBe(true);
    expect(isRendererMethod('hasOwnProperty')).toBe(false);
    for (const spec of Object.values(rendererRequests)) expect(spec.timeoutMs).toBeGreaterThan(0);
  });

  it('defaults ICE servers to none and accepts only STUN/TURN URIs', () => {
    expect(args['media.open'].args.parse({ callId: 'c1' })).toEqual({ callId: 'c1', iceServers: [] });
    const ok = { urls: ['stun:127.0.0.1:3478', 'turn:127.0.0.1?transport=udp'], username: 'u', credential: 'p' };
    expect(args['media.open'].args.safeParse({ callId: 'c1', iceServers: [ok] }).success).toBe(true);
    expect(args['media.open'].args.safeParse({ callId: 'c1', iceServers: [{ urls: 'https://x' }] }).success).toBe(
      false,
    );
    expect(
      args['media.open'].args.safeParse({ callId: 'c1', iceServers: Array.from({ length: 9 }, () => ok) }).success,
    ).toBe(false);
  });

  it('bounds SDP in bytes, tones to RFC 4733 events, and directions to RFC 3264', () => {
    const set = args['media.setDescription'].args;
    expect(set.safeParse({ callId: 'c1', type: 'offer', sdp: 'v=0\r\n' }).success).toBe(true);
    expect(set.safeParse({ callId: 'c1', type: 'offer', sdp: 'x'.repeat(MAX_SDP_BYTES) }).success).toBe(true);
    expect(set.safeParse({ callId: 'c1', type: 'offer', sdp: 'x'.repeat(MAX_SDP_BYTES + 1) }).success).toBe(false);
    // 2 bytes each in UTF-8: under the limit in UTF-16 units, over it in bytes.
    expect(set.safeParse({ callId: 'c1', type: 'offer', sdp: 'é'.repeat(MAX_SDP_BYTES / 2 + 1) }).success).toBe(false);
    expect(set.safeParse({ callId: 'c1', type: 'pranswer', sdp: 'v=0' }).success).toBe(false);
    const dtmf = args['media.dtmf'].args;
    expect(dtmf.safeParse({ callId: 'c1', tones: '0123456789*#ABCD', durationMs: 100, gapMs: 70 }).success).toBe(true);
    expect(dtmf.safeParse({ callId: 'c1', tones: '1'.repeat(33) }).success).toBe(false);
    expect(dtmf.safeParse({ callId: 'c1', tones: 'E' }).success).toBe(false);
    expect(args['media.getDescription'].args.safeParse({ callId: 'c1', direction: 'recvonly' }).success).toBe(true);
    expect(args['media.getDescription'].args.safeParse({ callId: 'c1', direction: 'both' }).success).toBe(false);
    expect(args['media.close'].args.safeParse({ callId: "c'1" }).success).toBe(false);
  });

  it('checks results too: devices bounded, no extra keys', () => {
    const devices = args['media.devices'].result;
    expect(devices.safeParse({ inputs: [{ deviceId: 'a', label: 'Casque' }], outputs: [] }).success).toBe(true);
    expect(devices.safeParse({ inputs: [{ deviceId: 'a', label: 'x'.repeat(257) }], outputs: [] }).success).toBe(false);
    const many = Array.from({ length: 65 }, (_, i) => ({ deviceId: String(i), label: '' }));
    expect(devices.safeParse({ inputs: many, outputs: [] }).success).toBe(false);
    expect(args['media.getDescription'].result.safeParse({ type: 'answer', sdp: 'v=0' }).success).toBe(true);
    expect(args['media.getDescription'].result.safeParse({ type: 'answer', sdp: '' }).success).toBe(false);
    expect(args['media.open'].result.safeParse({ extra: true }).success).toBe(false);
  });

  it('frames the WebSocket both ways', () => {
    expect(clientFrameSchema.safeParse({ rid: 3, result: { ok: true, value: {} } }).success).toBe(true);
    expect(
      clientFrameSchema.safeParse({ rid: 3, result: { ok: false, error: { code: 'unavailable', message: 'x' } } })
        .success,
    ).toBe(true);
    expect(
      clientFrameSchema.safeParse({ rid: 3, result: { ok: false, error: { code: 'nope', message: 'x' } } }).success,
    ).toBe(false);
    expect(clientFrameSchema.safeParse({ rid: -1, result: { ok: true, value: 1 } }).success).toBe(false);
    expect(clientFrameSchema.safeParse({ ready: { mediaOwner: true } }).success).toBe(true);
    expect(clientFrameSchema.safeParse({ ready: { mediaOwner: 1 } }).success).toBe(false);
    expect(clientFrameSchema.safeParse({ ready: { mediaOwner: true }, id: 1 }).success).toBe(false);
    expect(rendererRequestFrameSchema.safeParse({ rid: 1, method: 'media.devices', args: {} }).success).toBe(true);
    expect(rendererRequestFrameSchema.safeParse({ rid: 1, method: '' }).success).toBe(false);
  });
});
