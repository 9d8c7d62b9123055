import { describe, expect, it } from 'vitest';
import { VigieError, type Result } from '../../contract/index.js';
import { createRendererLink, NO_RENDERER_MESSAGE, type RendererPeer } from './renderer-link.js';

interface Sent {
  method: string;
  args: unknown;
  signal: AbortSignal | undefined;
  reply(result: unknown): void;
}

/** A test renderer: records what it is sent, and answers when the test says so. */
const testRenderer = (id: string) => {
  const sent: Sent[] = [];
  const peer: RendererPeer = {
    id,
    request: (method, args, signal) =>
      new Promise<Result<unknown>>((resolve) => {
        // The link parses what comes back; this test renderer may hand it anything.
        sent.push({ method, args, signal, reply: (result) => resolve(result as Result<unknown>) });
      }),
  };
  const next = async (): Promise<Sent> => {
    await expect.poll(() => sent.length).toBeGreaterThan(0);
    const first = sent.shift();
    if (first === undefined) throw new Error('aucune requête reçue');
    return first;
  };
  return { peer, sent, next };
};

const rejection = async (promise: Promise<unknown>): Promise<VigieError> => {
  const error: unknown = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof VigieError)) throw new Error(`VigieError attendue, reçu ${String(error)}`);
  return error;
};

const devices = { inputs: [{ deviceId: 'default', label: 'Micro' }], outputs: [] };

describe('renderer link', () => {
  it('sends parsed arguments to the media owner and returns its parsed result', async () => {
    const link = createRendererLink();
    const r = testRenderer('tab-1');
    link.attach(r.peer).ready({ mediaOwner: true });
    expect(link.mediaOwner()).toBe('tab-1');

    const opening = link.request('media.open', { callId: 'c1' });
    const open = await r.next();
    // The default of iceServers is applied before sending: the renderer never sees a public STUN host.
    expect(open).toMatchObject({ method: 'media.open', args: { callId: 'c1', iceServers: [] } });
    open.reply({ ok: true, value: {} });
    expect(await opening).toEqual({});

    const listing = link.request('media.devices', {});
    (await r.next()).reply({ ok: true, value: devices });
    expect(await listing).toEqual(devices);
  });

  it('refuses invalid arguments before sending anything', async () => {
    const link = createRendererLink();
    const r = testRenderer('tab-1');
    link.attach(r.peer).ready({ mediaOwner: true });
    const error = await rejection(link.request('media.dtmf', { callId: 'c1', tones: '12e' }));
    expect(error.code).toBe('invalid_argument');
    expect(error.message).toMatch(/tonalités DTMF/);
    const big = await rejection(
      link.request('media.setDescription', { callId: 'c1', type: 'offer', sdp: 'é'.repeat(9000) }),
    );
    expect(big.message).toMatch(/SDP trop long/);
    expect(r.sent).toHaveLength(0);
  });

  it('fails at once with a clear message when no renderer is connected', async () => {
    const link = createRendererLink({ timeoutMs: 60_000 });
    const started = Date.now();
    const error = await rejection(link.request('media.devices', {}));
    expect(Date.now() - started).toBeLessThan(1000);
    expect(error.code).toBe('unavailable');
    expect(error.message).toBe(NO_RENDERER_MESSAGE);
    expect(error.message).toMatch(/^Aucun écran n’est connecté à ce poste/);
  });

  it('waits for a media owner that becomes ready late', async () => {
    const link = createRendererLink({ timeoutMs: 5_000 });
    const viewer = testRenderer('viewer');
    link.attach(viewer.peer).ready({ mediaOwner: false });
    const late = testRenderer('late');
    const attachment = link.attach(late.peer);
    const listing = link.request('media.devices', {});
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(late.sent).toHaveLength(0);
    attachment.ready({ mediaOwner: true });
    (await late.next()).reply({ ok: true, value: devices });
    expect(await listing).toEqual(devices);
    expect(viewer.sent).toHaveLength(0);
  });

  it('times out when no media owner comes, and when the owner does not answer', async () => {
    const link = createRendererLink();
    const viewer = testRenderer('viewer');
    const viewing = link.attach(viewer.peer);
    const noOwner = await rejection(link.request('media.devices', {}, { timeoutMs: 50 }));
    expect(noOwner.message).toMatch(/Aucun écran de ce poste ne gère l’audio/);

    viewing.ready({ mediaOwner: true });
    const silent = link.request('media.mute', { callId: 'c1', muted: true }, { timeoutMs: 50 });
    const sent = await viewer.next();
    const error = await rejection(silent);
    expect(error.message).toBe('L’écran n’a pas répondu à media.mute en 50 ms.');
    // The transport is told to forget the request, and a late answer changes nothing.
    expect(sent.signal?.aborted).toBe(true);
    sent.reply({ ok: true, value: {} });
  });

  it('turns a bad reply into an error, not a crash', async () => {
    const link = createRendererLink({ timeoutMs: 1_000 });
    const r = testRenderer('tab-1');
    link.attach(r.peer).ready({ mediaOwner: true });
    const cases: [unknown, RegExp][] = [
      ['not a result', /Réponse invalide/],
      [{ ok: true, value: { inputs: 'x', outputs: [] } }, /Réponse invalide/],
      [{ ok: true, value: { ...devices, extra: 1 } }, /Réponse invalide/],
      [{ ok: false, error: { code: 'unavailable', message: 'média non disponible' } }, /^média non disponible$/],
      [{ ok: false, error: { code: 'boom', message: 'x' } }, /Réponse invalide/],
    ];
    for (const [reply, message] of cases) {
      const listing = link.request('media.devices', {});
      (await r.next()).reply(reply);
      expect((await rejection(listing)).message).toMatch(message);
    }
    // Still usable afterwards.
    const again = link.request('media.devices', {});
    (await r.next()).reply({ ok: true, value: devices });
    expect(await again).toEqual(devices);
  });

  it('fails the pending requests of a renderer that detaches, at once', async () => {
    const link = createRendererLink({ timeoutMs: 60_000 });
    const r = testRenderer('tab-1');
    const attachment = link.attach(r.peer);
    attachment.ready({ mediaOwner: true });
    const pending = link.request('media.close', { callId: 'c1' });
    await r.next();
    const started = Date.now();
    attachment.detach();
    const error = await rejection(pending);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(error.message).toMatch(/s’est déconnecté/);
    expect(link.mediaOwner()).toBeNull();
    expect(link.peers()).toBe(0);
  });

  it('fails a request waiting for an owner at once when the last renderer leaves', async () => {
    const link = createRendererLink({ timeoutMs: 60_000 });
    const attachment = link.attach(testRenderer('viewer').peer);
    const waiting = link.request('media.devices', {});
    attachment.detach();
    expect((await rejection(waiting)).message).toBe(NO_RENDERER_MESSAGE);
  });

  it('hands media ownership to the next ready candidate when the owner leaves', async () => {
    const link = createRendererLink();
    const changes: (string | null)[] = [];
    link.onMediaOwner((id) => changes.push(id));
    const first = link.attach(testRenderer('first').peer);
    const viewer = link.attach(testRenderer('viewer').peer);
    const second = link.attach(testRenderer('second').peer);
    const third = link.attach(testRenderer('third').peer);
    viewer.ready({ mediaOwner: false });
    third.ready({ mediaOwner: true });
    expect(link.mediaOwner()).toBe('third');
    // The first to declare stays owner even if an older peer declares later.
    first.ready({ mediaOwner: true });
    second.ready({ mediaOwner: true });
    expect(link.mediaOwner()).toBe('third');
    third.detach();
    expect(link.mediaOwner()).toBe('first');
    first.ready({ mediaOwner: false });
    expect(link.mediaOwner()).toBe('second');
    second.detach();
    expect(link.mediaOwner()).toBeNull();
    expect(changes).toEqual(['third', 'first', 'second', null]);
    expect(() => link.attach(testRenderer('viewer').peer)).toThrow(/déjà attaché/);
  });
});
