/**
 * Cold start as the operator lives it: from the start of a `vigie serve` process on a data directory to
 * the first `status.get` answered over the browser host's WebSocket (the contract), i.e. what the first
 * screen waits for (docs/architecture.md, "Kernel"). The process is stopped by its PID after each run.
 */
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';

const cli = join(dirname(fileURLToPath(import.meta.url)), '..', 'electron', 'cli', 'main.js');
const URL_LINE = /http:\/\/127\.0\.0\.1:(\d+)\/#token=(\S+)/;

export interface ColdStart {
  /** Process start → the URL line printed (host listening). */
  urlMs: number;
  /** Process start → first status answered over the WebSocket. */
  statusMs: number;
  events: number;
}

export const coldStartToStatus = (dataDir: string, timeoutMs = 30_000): Promise<ColdStart> =>
  new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [cli, 'serve', '--data', dataDir, '--port', '0'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    let connected = false;
    const finish = (error: Error | null, value?: ColdStart): void => {
      clearTimeout(timer);
      child.kill('SIGTERM');
      child.once('exit', () => (error === null && value !== undefined ? resolve(value) : reject(error)));
    };
    const timer = setTimeout(
      () => finish(new Error(`démarrage à froid : pas de statut en ${timeoutMs} ms\n${err}`)),
      timeoutMs,
    );
    child.stderr.setEncoding('utf8').on('data', (text: string) => (err += text));
    child.stdout.setEncoding('utf8').on('data', (text: string) => {
      out += text;
      const match = URL_LINE.exec(out);
      if (match === null || connected) return;
      connected = true;
      const urlMs = performance.now() - t0;
      const [, port, token] = match;
      const ws = new WebSocket(`ws://127.0.0.1:${port}/api?token=${token}`, {
        headers: { Origin: `http://127.0.0.1:${port}` },
      });
      ws.on('error', (error) => finish(error));
      ws.on('open', () => ws.send(JSON.stringify({ id: 1, method: 'status.get', args: {} })));
      ws.on('message', (data: WebSocket.RawData) => {
        const frame = JSON.parse(String(data)) as {
          id?: number;
          result?: { ok: boolean; value?: { database: { events: number } } };
        };
        if (frame.id !== 1) return;
        const statusMs = performance.now() - t0;
        ws.close();
        if (frame.result?.ok !== true) return finish(new Error(`status.get en échec : ${String(data)}`));
        finish(null, { urlMs, statusMs, events: frame.result.value?.database.events ?? -1 });
      });
    });
  });
