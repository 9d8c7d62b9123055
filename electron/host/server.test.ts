import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createCore, type Core } from '../core/index.js';
import { startHost, type Host } from './server.js';

/** Open a WebSocket and resolve with the first thing that happens to it. */
const connect = (url: string, headers: Record<string, string> = {}) =>
  new Promise<{ socket: WebSocket } | { status: number }>((resolve) => {
    const socket = new WebSocket(url, { headers });
    socket.once('open', () => resolve({ socket }));
    socket.once('unexpected-response', (_req, res) => resolve({ status: res.statusCode ?? 0 }));
    socket.once('error', () => resolve({ status: -1 }));
  });

const ask = (socket: WebSocket, frame: unknown) =>
  new Promise<unknown>((resolve) => {
    socket.once('message', (data) => resolve(JSON.parse(data.toString())));
    socket.send(JSON.stringify(frame));
  });

describe('browser host', () => {
  let dir: string;
  let core: Core;
  let host: Host;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigie-host-'));
    const rendererDir = join(dir, 'renderer');
    mkdirSync(rendererDir);
    writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Vigie</title>');
    writeFileSync(join(dir, 'secret.txt'), 'secret');
    core = await createCore({ dataDir: join(dir, 'data') });
    host = await startHost({ core, rendererDir });
  });
  afterAll(async () => {
    await host.close();
    await core.close();
    rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
  });

  const wsUrl = (token?: string) => `ws://127.0.0.1:${host.port}/api${token === undefined ? '' : `?token=${token}`}`;

  it('listens on loopback only and prints the token in the fragment', () => {
    expect(host.url).toBe(`http://127.0.0.1:${host.port}/#token=${host.token}`);
  });

  it('refuses a WebSocket without the token, or with a wrong one', async () => {
    expect(await connect(wsUrl())).toEqual({ status: 401 });
    expect(await connect(wsUrl('x'.repeat(43)))).toEqual({ status: 401 });
  });

  it('refuses a WebSocket from another origin even with the token', async () => {
    expect(await connect(wsUrl(host.token), { Origin: 'http://evil.example' })).toEqual({ status: 403 });
  });

  it('answers a request, and a clear validation error for invalid arguments', async () => {
    const opened = await connect(wsUrl(host.token));
    if (!('socket' in opened)) throw new Error(`refusé : ${opened.status}`);
    const { socket } = opened;
    expect(await ask(socket, { id: 1, method: 'status.get', args: {} })).toMatchObject({
      id: 1,
      result: { ok: true, value: { positionName: 'POSTE-1' } },
    });
    expect(await ask(socket, { id: 2, method: 'status.get', args: { injected: '<script>' } })).toMatchObject({
      id: 2,
      result: { ok: false, error: { code: 'invalid_argument', message: expect.stringMatching(/Argument invalide/) } },
    });
    socket.close();
  });

  it('closes the connection on a malformed or oversized frame', async () => {
    const opened = await connect(wsUrl(host.token));
    if (!('socket' in opened)) throw new Error('refusé');
    const closed = new Promise<number>((resolve) => opened.socket.once('close', (code) => resolve(code)));
    opened.socket.send('{not json');
    expect(await closed).toBe(1007);
    const again = await connect(wsUrl(host.token));
    if (!('socket' in again)) throw new Error('refusé');
    const closed2 = new Promise<number>((resolve) => again.socket.once('close', (code) => resolve(code)));
    again.socket.send(JSON.stringify({ id: 1, method: 'status.get', args: { big: 'x'.repeat(300_000) } }));
    expect(await closed2).toBe(1009);
  });

  /** A test renderer over a real socket: declares itself media owner, then serves with `answer`. */
  const testRenderer = async (answer: (frame: { rid: number; method: string; args: unknown }) => unknown) => {
    const opened = await connect(wsUrl(host.token));
    if (!('socket' in opened)) throw new Error('refusé');
    const { socket } = opened;
    const seen: unknown[] = [];
    socket.on('message', (data) => {
      const frame = JSON.parse(data.toString()) as { rid?: number; method?: string; args?: unknown };
      if (frame.rid === undefined || frame.method === undefined) return;
      seen.push(frame);
      const reply = answer({ rid: frame.rid, method: frame.method, args: frame.args });
      socket.send(typeof reply === 'string' ? reply : JSON.stringify(reply));
    });
    const owned = new Promise<void>((resolve) => {
      const off = core.renderer.onMediaOwner((id) => {
        if (id === null) return;
        off();
        resolve();
      });
    });
    socket.send(JSON.stringify({ ready: { mediaOwner: true } }));
    await owned;
    return { socket, seen };
  };

  it('carries core → renderer requests to a ready page and its replies back', async () => {
    const devices = { inputs: [{ deviceId: 'mic', label: 'Casque' }], outputs: [] };
    const { socket, seen } = await testRenderer(({ rid }) => ({ rid, result: { ok: true, value: devices } }));
    expect(core.renderer.mediaOwner()).toMatch(/^ws-\d+$/);
    expect(await core.renderer.request('media.devices', {})).toEqual(devices);
    expect(seen).toEqual([{ rid: expect.any(Number), method: 'media.devices', args: {} }]);
    const closed = new Promise((resolve) => socket.once('close', resolve));
    socket.close();
    await closed;
    await expect.poll(() => core.renderer.peers()).toBe(0);
    await expect(core.renderer.request('media.devices', {})).rejects.toThrow(/Aucun écran n’est connecté/);
  });

  it('closes a socket that sends a malformed reply, fails its request at once, and keeps serving', async () => {
    const { socket } = await testRenderer(({ rid }) => ({ rid, result: { ok: 'yes' } }));
    const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
    const started = Date.now();
    await expect(core.renderer.request('media.devices', {}, { timeoutMs: 20_000 })).rejects.toThrow(/s’est déconnecté/);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(await closed).toBe(1008);

    const broken = await testRenderer(() => '{not json');
    const closed2 = new Promise<number>((resolve) => broken.socket.once('close', (code) => resolve(code)));
    await expect(core.renderer.request('media.mute', { callId: 'c1', muted: true })).rejects.toThrow(
      /s’est déconnecté/,
    );
    expect(await closed2).toBe(1007);

    // The host is still up: a new page is answered, and can serve the core.
    const opened = await connect(wsUrl(host.token));
    if (!('socket' in opened)) throw new Error('refusé');
    expect(await ask(opened.socket, { id: 1, method: 'status.get', args: {} })).toMatchObject({ result: { ok: true } });
    opened.socket.close();
    const good = await testRenderer(({ rid }) => ({ rid, result: { ok: true, value: { sent: true } } }));
    expect(await core.renderer.request('media.dtmf', { callId: 'c1', tones: '12#' })).toEqual({ sent: true });
    good.socket.close();
  });

  it('closes a socket whose reply is larger than a renderer may send', async () => {
    // Well-formed (a result value is any JSON until the link parses it), but over 64 KiB.
    const { socket } = await testRenderer(({ rid }) => ({ rid, result: { ok: true, value: 'z'.repeat(70_000) } }));
    const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
    await expect(core.renderer.request('media.close', { callId: 'c1' })).rejects.toThrow(/s’est déconnecté/);
    expect(await closed).toBe(1009);
  });

  it('serves the renderer with a strict CSP, and nothing outside it', async () => {
    const page = await fetch(`http://127.0.0.1:${host.port}/`);
    expect(page.status).toBe(200);
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toContain('unsafe');
    expect((await fetch(`http://127.0.0.1:${host.port}/..%2Fsecret.txt`)).status).toBe(404);
    expect((await fetch(`http://127.0.0.1:${host.port}/%2e%2e/secret.txt`)).status).toBe(404);
  });
});
