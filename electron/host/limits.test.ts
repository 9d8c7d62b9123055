import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createCore, type Core } from '../core/index.js';
import { startHost, type Host } from './server.js';

/** Open a WebSocket and resolve with it, or with the HTTP status it was refused with. */
const connect = (url: string) =>
  new Promise<{ socket: WebSocket } | { status: number }>((resolve) => {
    const socket = new WebSocket(url);
    socket.once('open', () => resolve({ socket }));
    socket.once('unexpected-response', (_req, res) => resolve({ status: res.statusCode ?? 0 }));
    socket.once('error', () => resolve({ status: -1 }));
  });
const opened = async (url: string): Promise<WebSocket> => {
  const r = await connect(url);
  if (!('socket' in r)) throw new Error(`refusé : ${r.status}`);
  return r.socket;
};

describe('browser host limits (issue 11 §8)', () => {
  let dir: string;
  let core: Core;
  let host: Host;
  const logs: string[] = [];
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigie-host-limits-'));
    const rendererDir = join(dir, 'renderer');
    mkdirSync(rendererDir);
    writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Vigie</title>');
    core = await createCore({ dataDir: join(dir, 'data'), log: () => {} });
    host = await startHost({
      core,
      rendererDir,
      maxBufferedBytes: 64 * 1024,
      maxConnections: 3,
      log: (m) => logs.push(m),
    });
  });
  afterAll(async () => {
    await host.close();
    await core.close();
    rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
  });
  const url = () => `ws://127.0.0.1:${host.port}/api?token=${host.token}`;

  it('drops a page that does not read, instead of queueing its frames without bound', async () => {
    const slow = await opened(url());
    slow.pause(); // reads nothing more: the kernel's buffers fill, then the host's queue
    const closed = new Promise<number>((resolve) => slow.once('close', (code) => resolve(code)));
    for (let i = 0; i < 40_000 && slow.readyState === WebSocket.OPEN; i += 1) {
      slow.send(JSON.stringify({ id: i, method: 'status.get', args: {} }));
      if (i % 1000 === 0) await new Promise((r) => setTimeout(r, 5));
    }
    await expect.poll(() => logs.some((m) => m.includes('écran déconnecté')), { timeout: 30_000 }).toBe(true);
    slow.resume();
    expect(await closed).toBe(1006); // terminated, no closing handshake
    // A reader that keeps up is served as before.
    const fast = await opened(url());
    const answer = await new Promise<string>((resolve) => {
      fast.once('message', (d) => resolve(d.toString()));
      fast.send(JSON.stringify({ id: 1, method: 'status.get', args: {} }));
    });
    expect(JSON.parse(answer)).toMatchObject({ id: 1, result: { ok: true } });
    fast.close();
  });

  it('refuses connections beyond the cap (503), and takes one again once a page leaves', async () => {
    // Wait until the pages of the previous test are gone.
    await expect
      .poll(async () => {
        const probe = await connect(url());
        if ('socket' in probe) probe.socket.close();
        return 'socket' in probe;
      })
      .toBe(true);
    const pages = [await opened(url()), await opened(url()), await opened(url())];
    expect(await connect(url())).toEqual({ status: 503 });
    const gone = new Promise((r) => pages[0]?.once('close', r));
    pages[0]?.close();
    await gone;
    await expect
      .poll(async () => {
        const again = await connect(url());
        if ('socket' in again) pages.push(again.socket);
        return 'socket' in again;
      })
      .toBe(true);
    for (const p of pages) p.close();
  });
});
