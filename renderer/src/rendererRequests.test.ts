import { describe, expect, it } from 'vitest';
import { VigieError } from '../../electron/contract/index.js';
import { createRendererServer, MEDIA_UNAVAILABLE } from './rendererRequests.js';

describe('page side of the core → renderer requests', () => {
  it('answers unknown methods and unserved media methods with an error', async () => {
    const serve = createRendererServer({});
    expect(await serve('media.explode', {})).toMatchObject({ ok: false, error: { code: 'unknown_method' } });
    expect(await serve('toString', {})).toMatchObject({ ok: false, error: { code: 'unknown_method' } });
    expect(await serve('media.open', { callId: 'c1' })).toEqual({
      ok: false,
      error: { code: 'unavailable', message: MEDIA_UNAVAILABLE },
    });
  });

  it('parses arguments with the contract before the handler runs', async () => {
    const seen: unknown[] = [];
    const serve = createRendererServer({
      'media.open': (args) => {
        seen.push(args);
        return {};
      },
      'media.dtmf': () => ({ sent: true }),
    });
    expect(await serve('media.open', { callId: 'c1' })).toEqual({ ok: true, value: {} });
    expect(seen).toEqual([{ callId: 'c1', iceServers: [] }]);
    const bad = await serve('media.open', { callId: 'c1', iceServers: [{ urls: 'http://evil.example' }] });
    expect(bad).toMatchObject({
      ok: false,
      error: { code: 'invalid_argument', message: expect.stringMatching(/STUN\/TURN/) },
    });
    expect(await serve('media.dtmf', { callId: 'c1', tones: '1', durationMs: 10 })).toMatchObject({
      ok: false,
      error: { code: 'invalid_argument' },
    });
    expect(seen).toHaveLength(1);
  });

  it('turns a handler that throws into an answer', async () => {
    const serve = createRendererServer({
      'media.mute': () => {
        throw new VigieError('not_found', 'appel inconnu');
      },
      'media.close': async () => {
        throw new Error('boom');
      },
      'media.devices': () => ({ inputs: [], outputs: [{ deviceId: 'x'.repeat(256), label: 'y'.repeat(256) }] }),
    });
    expect(await serve('media.mute', { callId: 'c1', muted: true })).toEqual({
      ok: false,
      error: { code: 'not_found', message: 'appel inconnu' },
    });
    expect(await serve('media.close', { callId: 'c1' })).toMatchObject({
      ok: false,
      error: { code: 'internal', message: expect.stringMatching(/media\.close : boom/) },
    });
    expect(await serve('media.devices', {})).toMatchObject({ ok: true });
  });
});
