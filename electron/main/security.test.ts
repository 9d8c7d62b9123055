/**
 * The Electron binary cannot run on this kind of machine, so the shell's security decisions are tested
 * here against a stand-in `electron` module: what the window is allowed to do, and what IPC accepts.
 */
import { EventEmitter } from 'node:events';
import { beforeEach, describe, expect, it, vi } from 'vitest';

type PermissionHandler = (
  contents: unknown,
  permission: string,
  callback: (granted: boolean) => void,
  details: Record<string, unknown>,
) => void;
type CheckHandler = (
  contents: unknown,
  permission: string,
  origin: string,
  details: Record<string, unknown>,
) => boolean;
type IpcHandler = (event: unknown, ...args: unknown[]) => Promise<unknown>;

const fake = vi.hoisted(() => ({
  permissionHandler: null as PermissionHandler | null,
  checkHandler: null as CheckHandler | null,
  ipcHandlers: new Map<string, IpcHandler>(),
  opened: [] as string[],
}));

vi.mock('electron', () => ({
  session: {
    defaultSession: {
      setPermissionRequestHandler: (h: PermissionHandler) => (fake.permissionHandler = h),
      setPermissionCheckHandler: (h: CheckHandler) => (fake.checkHandler = h),
    },
  },
  shell: { openExternal: async (url: string) => void fake.opened.push(url) },
  ipcMain: {
    handle: (channel: string, h: IpcHandler) => fake.ipcHandlers.set(channel, h),
    removeHandler: (channel: string) => fake.ipcHandlers.delete(channel),
    on: () => undefined,
    removeListener: () => undefined,
  },
  app: { on: () => undefined, removeListener: () => undefined },
  protocol: { registerSchemesAsPrivileged: () => undefined, handle: () => undefined },
  net: { fetch: async () => new Response('') },
}));

const { allowExternalLinks, lockNavigation, restrictPermissions, webPreferences, isTrustedSender } =
  await import('./security.js');
const { connectIpc } = await import('./ipc.js');
const { createRendererLink } = await import('../core/kernel/renderer-link.js');

class FakeContents extends EventEmitter {
  windowOpenHandler: ((d: { url: string }) => { action: string }) | null = null;
  constructor(readonly id: number) {
    super();
  }
  setWindowOpenHandler(h: (d: { url: string }) => { action: string }) {
    this.windowOpenHandler = h;
  }
  send = vi.fn();
}

const navigate = (contents: FakeContents, event: string, url: string): boolean => {
  let prevented = false;
  // Electron 45 puts the URL on the event; the deprecated second argument is not passed, so code reading
  // it would see undefined and fail these checks.
  contents.emit(event, { url, preventDefault: () => (prevented = true) });
  return prevented;
};

describe('Electron shell security', () => {
  beforeEach(() => {
    fake.ipcHandlers.clear();
    fake.opened.length = 0;
  });

  it('runs the page isolated, sandboxed, without Node', () => {
    expect(webPreferences('/p.cjs')).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      preload: '/p.cjs',
    });
  });

  it('lets a ring play without a prior click or key press', () => {
    expect(webPreferences('/p.cjs').autoplayPolicy).toBe('no-user-gesture-required');
  });

  it('blocks navigation away from app://vigie and every new window', () => {
    const contents = new FakeContents(1);
    lockNavigation(contents as unknown as Electron.WebContents);
    expect(navigate(contents, 'will-navigate', 'https://example.org/')).toBe(true);
    expect(navigate(contents, 'will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(navigate(contents, 'will-redirect', 'http://127.0.0.1:1/')).toBe(true);
    expect(navigate(contents, 'will-navigate', 'app://vigie/index.html')).toBe(false);
    expect(navigate(contents, 'will-frame-navigate', 'https://example.org/')).toBe(true);
    expect(navigate(contents, 'will-frame-navigate', 'app://vigie/index.html')).toBe(false);
    expect(contents.windowOpenHandler?.({ url: 'app://vigie/x' })).toEqual({ action: 'deny' });
    expect(contents.windowOpenHandler?.({ url: 'javascript:alert(1)' })).toEqual({ action: 'deny' });
    // No allowlist: not even an https link leaves the console.
    expect(contents.windowOpenHandler?.({ url: 'https://example.org/' })).toEqual({ action: 'deny' });
    expect(fake.opened).toEqual([]);
  });

  it('opens in the system browser only the links of the configured origins', () => {
    const contents = new FakeContents(2);
    lockNavigation(contents as unknown as Electron.WebContents);
    allowExternalLinks(['https://doc.securite-civile.nc']);
    for (const url of [
      'https://doc.securite-civile.nc/guide',
      'https://evil.example/',
      'https://doc.securite-civile.nc.evil.example/',
      'https://doc.securite-civile.nc:8443/',
      'http://doc.securite-civile.nc/',
      'https://x@doc.securite-civile.nc/',
    ])
      expect(contents.windowOpenHandler?.({ url })).toEqual({ action: 'deny' });
    expect(fake.opened).toEqual(['https://doc.securite-civile.nc/guide']);
    allowExternalLinks([]);
  });

  it('grants the microphone to the app only, and nothing else', () => {
    restrictPermissions();
    const ask = (permission: string, details: Record<string, unknown>) => {
      let granted: boolean | null = null;
      fake.permissionHandler?.({}, permission, (g) => (granted = g), details);
      return granted;
    };
    expect(ask('media', { mediaTypes: ['audio'], requestingUrl: 'app://vigie/index.html' })).toBe(true);
    expect(ask('media', { mediaTypes: ['audio', 'video'], requestingUrl: 'app://vigie/index.html' })).toBe(false);
    expect(ask('media', { mediaTypes: [], requestingUrl: 'app://vigie/index.html' })).toBe(false);
    expect(ask('media', { requestingUrl: 'app://vigie/index.html' })).toBe(false);
    expect(ask('media', { mediaTypes: ['audio'], requestingUrl: 'https://evil.example/' })).toBe(false);
    expect(ask('geolocation', { requestingUrl: 'app://vigie/index.html' })).toBe(false);
    expect(ask('notifications', { requestingUrl: 'app://vigie/index.html' })).toBe(false);
    expect(fake.checkHandler?.({}, 'media', 'app://vigie', { mediaType: 'audio' })).toBe(true);
    expect(fake.checkHandler?.({}, 'media', 'app://vigie', { mediaType: 'video' })).toBe(false);
    expect(fake.checkHandler?.({}, 'media', 'https://evil.example', { mediaType: 'audio' })).toBe(false);
  });

  it('answers IPC only from its own window and origin, and passes arguments to the core to validate', async () => {
    const own = new FakeContents(7);
    const win = { isDestroyed: () => false, webContents: own };
    const request = vi.fn(async () => ({ ok: true, value: 'pong' }));
    const core = { request, onEvent: () => () => undefined, renderer: createRendererLink() };
    const warnings: string[] = [];
    connectIpc(
      core as never,
      () => win as never,
      (m) => warnings.push(m),
    );
    const handler = fake.ipcHandlers.get('vigie:request');
    if (handler === undefined) throw new Error('no handler');

    expect(await handler({ sender: own, senderFrame: { url: 'app://vigie/index.html' } }, 'status.get', {})).toEqual({
      ok: true,
      value: 'pong',
    });
    expect(
      await handler({ sender: new FakeContents(8), senderFrame: { url: 'app://vigie/index.html' } }, 'status.get', {}),
    ).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    expect(
      await handler({ sender: own, senderFrame: { url: 'https://evil.example/' } }, 'status.get', {}),
    ).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    expect(
      await handler({ sender: own, senderFrame: { url: 'app://vigie/' } }, 'status.get', { big: 'x'.repeat(300_000) }),
    ).toMatchObject({
      ok: false,
      error: { code: 'invalid_argument' },
    });
    expect(request).toHaveBeenCalledTimes(1);
    expect(warnings).toHaveLength(2);
    expect(isTrustedSender(null, own as never, 'app://vigie/')).toBe(false);
  });
});
