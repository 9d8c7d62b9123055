/**
 * The core's media relay and the SIP child's channel bridge, joined back to back with a fake renderer link
 * (no page, no process): the order of media steps, French failures instead of throws, the bound on a page
 * that never answers, and the refusal to answer without a media owner.
 */
import { describe, expect, it } from 'vitest';
import { VigieError } from '../../contract/result.js';
import type { RendererMethod } from '../../contract/renderer.js';
import { mediaRequestSchema, mediaResultSchema, type MediaResult } from './channel.js';
import { createMediaRelay, NO_MEDIA_OWNER_MESSAGE, type MediaOwnerLink } from './media-relay.js';
import { createChannelBridge } from './sip/channel-bridge.js';

const offer =
  'v=0\r\no=a 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\na=sendrecv\r\n';

type Behaviour = (method: RendererMethod, args: Record<string, unknown>) => Promise<unknown>;

const fakeLink = (behave: Behaviour, owner: string | null = 'ws-1') => {
  const calls: string[] = [];
  const ownerListeners: ((id: string | null) => void)[] = [];
  const link: MediaOwnerLink = {
    mediaOwner: () => owner,
    onMediaOwner(listener) {
      ownerListeners.push(listener);
      return () => undefined;
    },
    // The relay only reads what each method's result schema allows; the fake answers accordingly.
    request: (async (method: RendererMethod, args: Record<string, unknown>) => {
      calls.push(`${method} ${String(args['callId'])}`);
      return behave(method, args);
    }) as MediaOwnerLink['request'],
  };
  return { link, calls, changeOwner: (id: string | null) => ownerListeners.forEach((l) => l(id)) };
};

/** Relay and bridge back to back, each message parsed by the channel's schemas as the real ones are. */
const wire = (behave: Behaviour, opts: { stepTimeoutMs?: number; prepareTimeoutMs?: number } = {}) => {
  const fake = fakeLink(behave);
  const logs: string[] = [];
  const results: MediaResult[] = [];
  const relay = createMediaRelay({
    link: fake.link,
    iceServers: [],
    reply: (r) => {
      results.push(mediaResultSchema.parse(r));
      bridge.onResult(r);
    },
    log: (_l, m) => logs.push(m),
  });
  const bridge = createChannelBridge({
    post: (m) => relay.handle(mediaRequestSchema.parse(m)),
    log: (_l, m) => logs.push(m),
    ...opts,
  });
  return { ...fake, relay, bridge, logs, results };
};

const answering: Behaviour = async (method) => {
  if (method === 'media.getDescription') return { type: 'answer', sdp: 'v=0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 0\r\n' };
  if (method === 'media.dtmf') return { sent: true };
  return {};
};

describe('media relay ⇄ channel bridge', () => {
  it('prepares an answer before the 200 OK, reuses it when sip.js asks, then DTMF, mute and close in order', async () => {
    const w = wire(answering);
    await w.bridge.prepareAnswer('i1', offer);
    // sip.js, accepting: the same offer again, then our answer; neither reaches the page a second time.
    await w.bridge.setRemote('i1', offer, 'offer');
    expect(await w.bridge.getLocal('i1', { kind: 'answer', hold: false })).toContain('UDP/TLS/RTP/SAVPF');
    expect(await w.bridge.sendDtmf('i1', '12#')).toBe(true);
    await w.bridge.setMuted('i1', true);
    // Hold: a new offer, sendonly (RFC 3264 §8.4).
    await w.bridge.getLocal('i1', { kind: 'offer', hold: true });
    w.bridge.close('i1');
    await new Promise((r) => setTimeout(r, 20));
    expect(w.calls).toEqual([
      'media.open g1-i1',
      'media.setDescription g1-i1',
      'media.getDescription g1-i1',
      'media.dtmf g1-i1',
      'media.mute g1-i1',
      'media.getDescription g1-i1',
      'media.close g1-i1',
    ]);
  });

  it('turns a page failure into a French error for sip.js, and leaves nothing open on the page', async () => {
    const w = wire(async (method) => {
      if (method === 'media.open') throw new VigieError('unavailable', 'Micro indisponible : aucun micro branché.');
      return {};
    });
    await expect(w.bridge.prepareAnswer('i2', offer)).rejects.toThrow(
      /Audio : Micro indisponible : aucun micro branché/,
    );
    expect(w.results[0]).toMatchObject({ ok: false });
    // Nothing was opened: the bridge's close stops at the core, the page hears nothing more.
    await new Promise((r) => setTimeout(r, 20));
    expect(w.calls).toEqual(['media.open g1-i2']);
  });

  it('bounds a page that never answers, so that the call keeps ringing instead of hanging', async () => {
    const w = wire(() => new Promise(() => undefined), { stepTimeoutMs: 1_000, prepareTimeoutMs: 100 });
    const started = Date.now();
    await expect(w.bridge.prepareAnswer('i3', offer)).rejects.toThrow(/audio non prêt/);
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('refuses an invalid remote SDP before asking the page', async () => {
    const w = wire(answering);
    await expect(w.bridge.prepareAnswer('i4', 'garbage')).rejects.toThrow(/SDP distant invalide/);
    expect(w.calls).toEqual([]);
  });

  it('says in French that no page owns the audio, and never throws on a reply it cannot deliver', async () => {
    const none = fakeLink(answering, null);
    const relay = createMediaRelay({
      link: none.link,
      iceServers: [],
      reply: () => {
        throw new Error('canal fermé');
      },
      log: () => undefined,
    });
    expect(() => relay.requireOwner()).toThrow(NO_MEDIA_OWNER_MESSAGE);
    relay.handle({ t: 'media', id: 1, sid: 'i5', op: 'close' });
    await new Promise((r) => setTimeout(r, 20));
  });

  it('gives a restarted child new page call ids and closes the old ones', async () => {
    const w = wire(answering);
    await w.bridge.getLocal('i1', { kind: 'offer', hold: false });
    w.relay.reset();
    await w.bridge.getLocal('i1', { kind: 'offer', hold: false });
    await new Promise((r) => setTimeout(r, 20));
    expect(w.calls).toContain('media.close g1-i1');
    expect(w.calls).toContain('media.open g2-i1');
  });
});
