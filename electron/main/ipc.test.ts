/**
 * The IPC adapter's core → page direction against a stand-in `electron` module (the binary cannot run
 * here, see security.test.ts): a window's page is a renderer peer from its creation, answers only from the
 * trusted sender count, replies are size-bounded, and a reload or a closed window fails what was pending.
 */
import { EventEmitter } from 'node:events';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Result } from '../contract/index.js';

type Listener = (event: unknown, ...args: unknown[]) => void;

const fake = vi.hoisted(() => ({
  listeners: new Map<string, Listener>(),
  app: null as EventEmitter | null,
}));

vi.mock('electron', async () => {
  const { EventEmitter: Emitter } = await import('node:events');
  fake.app = new Emitter();
  return {
    ipcMain: {
      handle: () => undefined,
      removeHandler: () => undefined,
      on: (channel: string, listener: Listener) => fake.listeners.set(channel, listener),
      removeListener: (channel: string) => fake.listeners.delete(channel),
    },
    app: fake.app,
    session: { defaultSession: {} },
    shell: { openExternal: async () => undefined },
  };
});

const { connectIpc } = await import('./ipc.js');
const { createRendererLink } = await import('../core/kernel/renderer-link.js');
const { channels } = await import('../contract/channels.js');

class FakeContents extends EventEmitter {
  readonly sent: unknown[][] = [];
  destroyed = false;
  constructor(readonly id: number) {
    super();
  }
  send(...args: unknown[]) {
    this.sent.push(args);
  }
  isDestroyed() {
    return this.destroyed;
  }
}

const APP_URL = 'app://vigie/index.html';

const setup = () => {
  const contents = new FakeContents(7);
  const window = { isDestroyed: () => false, webContents: contents };
  const renderer = createRendererLink({ timeoutMs: 20_000 });
  const core = {
    request: async (): Promise<Result<unknown>> => ({ ok: true, value: null }),
    onEvent: () => () => undefined,
    renderer,
  };
  const warnings: string[] = [];
  // The stand-in objects carry only what ipc.ts reads (webContents.id/send/on, isDestroyed).
  const dispose = connectIpc(
    core,
    () => window as never,
    (m) => warnings.push(m),
  );
  fake.app?.emit('browser-window-created', {}, window);
  const emitFrom = (channel: string, sender: FakeContents, url: string, ...args: unknown[]) => {
    const listener = fake.listeners.get(channel);
    if (listener === undefined) throw new Error(`pas d’écouteur sur ${channel}`);
    listener({ sender, senderFrame: { url } }, ...args);
  };
  /** The last core → page request sent to the window, as (rid, method, args). */
  const lastRequest = async (): Promise<[number, string, unknown]> => {
    await expect.poll(() => contents.sent.filter((s) => s[0] === channels.rendererRequest).length).toBeGreaterThan(0);
    const frames = contents.sent.filter((s) => s[0] === channels.rendererRequest);
    const [, rid, method, args] = frames[frames.length - 1] ?? [];
    if (typeof rid !== 'number' || typeof method !== 'string') throw new Error('requête mal formée');
    return [rid, method, args];
  };
  return { contents, renderer, warnings, dispose, emitFrom, lastRequest };
};

const devices = { inputs: [{ deviceId: 'd1', label: 'Casque USB' }], outputs: [] };

describe('IPC adapter, core → page', () => {
  beforeEach(() => fake.listeners.clear());

  it('attaches the window at creation, waits for its readiness, and carries a request and its reply', async () => {
    const { contents, renderer, warnings, dispose, emitFrom, lastRequest } = setup();
    expect(renderer.peers()).toBe(1);
    const listing = renderer.request('media.devices', {});
    // Readiness from another window or origin is refused, like a request.
    emitFrom(channels.rendererReady, new FakeContents(8), APP_URL, { mediaOwner: true });
    emitFrom(channels.rendererReady, contents, 'https://evil.example/', { mediaOwner: true });
    emitFrom(channels.rendererReady, contents, APP_URL, { mediaOwner: 'yes' });
    expect(renderer.mediaOwner()).toBeNull();
    expect(warnings).toHaveLength(3);

    emitFrom(channels.rendererReady, contents, APP_URL, { mediaOwner: true });
    expect(renderer.mediaOwner()).toMatch(/^window-7-/);
    const [rid, method, args] = await lastRequest();
    expect([method, args]).toEqual(['media.devices', {}]);
    // A reply from a stranger does not count; the page's own does.
    emitFrom(channels.rendererReply, new FakeContents(8), APP_URL, rid, {
      ok: true,
      value: { inputs: [], outputs: [] },
    });
    emitFrom(channels.rendererReply, contents, APP_URL, rid, { ok: true, value: devices });
    expect(await listing).toEqual(devices);
    dispose();
    expect(renderer.peers()).toBe(0);
  });

  it('refuses an oversized or malformed reply with an error, not a crash', async () => {
    const { contents, renderer, emitFrom, lastRequest, dispose } = setup();
    emitFrom(channels.rendererReady, contents, APP_URL, { mediaOwner: true });
    const big = renderer.request('media.devices', {});
    const [rid] = await lastRequest();
    emitFrom(channels.rendererReply, contents, APP_URL, rid, { ok: true, value: 'x'.repeat(70_000) });
    await expect(big).rejects.toThrow(/trop volumineuse/);

    const bad = renderer.request('media.devices', {});
    const [rid2] = await lastRequest();
    expect(rid2).not.toBe(rid);
    emitFrom(channels.rendererReply, contents, APP_URL, rid2, { ok: 'maybe' });
    await expect(bad).rejects.toThrow(/mal formée/);
    dispose();
  });

  it('fails pending requests at once when the page reloads, and when the window closes', async () => {
    const { contents, renderer, emitFrom, lastRequest } = setup();
    emitFrom(channels.rendererReady, contents, APP_URL, { mediaOwner: true });
    const first = renderer.mediaOwner();
    const pending = renderer.request('media.close', { callId: 'c1' });
    await lastRequest();
    contents.emit('did-start-navigation', { isMainFrame: true, isSameDocument: false });
    await expect(pending).rejects.toThrow(/s’est déconnecté/);
    // The reloaded page is connected (requests wait) but must declare itself again.
    expect(renderer.peers()).toBe(1);
    expect(renderer.mediaOwner()).toBeNull();
    emitFrom(channels.rendererReady, contents, APP_URL, { mediaOwner: true });
    expect(renderer.mediaOwner()).not.toBe(first);

    const pending2 = renderer.request('media.mute', { callId: 'c1', muted: true });
    await expect.poll(() => contents.sent.length).toBe(2);
    contents.destroyed = true;
    contents.emit('destroyed');
    await expect(pending2).rejects.toThrow(/s’est déconnecté/);
    await expect(renderer.request('media.devices', {})).rejects.toThrow(/Aucun écran n’est connecté/);
  });
});
