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
