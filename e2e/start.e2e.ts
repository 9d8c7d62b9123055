import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';
import { removeDataDir } from '../electron/testing/data-dir.js';
import { hasDisplay, installedElectron } from './support/electron.js';
import { assertBuilt, repoRoot } from './support/paths.js';

// `npm start` is `npm run build && node scripts/start.mjs`: this runs the second half, as a user would.
// Where an Electron window can open, start.mjs opens it instead (electron.e2e.ts drives that case).
const desktop = installedElectron() !== null && hasDisplay();
if (desktop) console.log('skipped: Electron and a display are present, so npm start opens the desktop window');

/** True while something accepts TCP connections on 127.0.0.1:port. */
const listening = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

describe.skipIf(desktop)('npm start without the Electron binary', () => {
  const data = mkdtempSync(join(tmpdir(), 'vigie-start-'));
  afterAll(() => removeDataDir(data));

  it('tries to fetch Electron within a bounded time, then serves the browser host and prints its URL', async () => {
    assertBuilt();
    const started = Date.now();
    const child = spawn(process.execPath, ['scripts/start.mjs', '--data', data, '--port', '0'], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = once(child, 'exit');
    try {
      const url = await new Promise<string>((resolve, reject) => {
        // start.mjs gives the download 60 s at most before it falls back.
        const timer = setTimeout(() => reject(new Error(`pas d’adresse après 90 s\n${stderr}`)), 90_000);
        createInterface({ input: child.stdout }).on('line', (line) => {
          const match = /^Vigie prête : (\S+)$/.exec(line);
          if (match?.[1] !== undefined) {
            clearTimeout(timer);
            resolve(match[1]);
          }
        });
        child.once('exit', (code) => {
          clearTimeout(timer);
          reject(new Error(`start.mjs terminé (code ${code})\n${stderr}`));
        });
      });
      console.log(`start.mjs → URL in ${Date.now() - started} ms`);
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=[\w-]{40,}$/);
      expect(stderr).toContain('Electron indisponible');
      if (installedElectron() === null) expect(stderr).toContain('tentative de téléchargement (60 s au plus)');
      // The temporary directory, not the user's own data.
      expect(existsSync(join(data, 'vigie.db'))).toBe(true);

      const port = Number(new URL(url).port);
      expect(await listening(port)).toBe(true);
      // Stopped by PID: start.mjs passes the signal on and the browser host closes its port.
      child.kill('SIGTERM');
      const [code] = await exited;
      expect(code).toBe(0);
      expect(await listening(port)).toBe(false);
    } finally {
      if (child.exitCode === null && child.signalCode === null) {
        // SIGTERM first so that start.mjs stops its own child too; SIGKILL only if it does not exit.
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
        await exited;
        clearTimeout(timer);
      }
    }
  });
});
