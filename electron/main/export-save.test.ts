/**
 * « Enregistrer sous… » of an export in Electron, against a stand-in `electron` module (the binary cannot
 * run here, see security.test.ts): only the window's own page is heard, only a finished export's id is
 * accepted, the file is copied where the dialog says, and a cancelled dialog writes nothing.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import type { CoreEvent, ExportSaved, Result } from '../contract/index.js';

type Handler = (event: unknown, ...args: unknown[]) => Promise<unknown>;

const fake = vi.hoisted(() => ({
  handlers: new Map<string, Handler>(),
  answer: { canceled: false, filePath: '' as string | undefined },
  asked: [] as unknown[],
}));

vi.mock('electron', () => ({
  ipcMain: {
    handle: (channel: string, handler: Handler) => fake.handlers.set(channel, handler),
    removeHandler: (channel: string) => fake.handlers.delete(channel),
  },
  dialog: {
    showSaveDialog: async (_window: unknown, options: unknown) => {
      fake.asked.push(options);
      return fake.answer;
    },
  },
  app: { on: () => undefined },
  session: { defaultSession: {} },
  shell: { openExternal: async () => undefined },
}));

const { connectExportSave } = await import('./export-save.js');
const { channels } = await import('../contract/channels.js');

const dir = mkdtempSync(join(tmpdir(), 'vigie-export-save-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const APP_URL = 'app://vigie/index.html';
const contents = { id: 3 };
const window = { isDestroyed: () => false, webContents: contents };

describe('export save dialog (Electron)', () => {
  it('copies a finished export where the dialog says, for the trusted page only', async () => {
    const listeners: ((e: CoreEvent) => void)[] = [];
    const core = {
      request: async (): Promise<Result<unknown>> => ({ ok: true, value: null }),
      onEvent: (l: (e: CoreEvent) => void) => {
        listeners.push(l);
        return () => undefined;
      },
      renderer: {} as never, // not used by the save channel
    };
    const off = connectExportSave(
      core,
      // The stand-in window has only what isTrustedSender reads (id, isDestroyed).
      () => window as never,
      () => undefined,
    );
    const handler = fake.handlers.get(channels.saveExport);
    if (handler === undefined) throw new Error('canal non enregistré');
    const source = join(dir, 'main-courante-x.csv');
    writeFileSync(source, 'référence\r\n');
    const exportId = '0192f3a4-0000-7000-8000-000000000002';
    for (const l of listeners)
      l({
        type: 'export.finished',
        result: { exportId, file: source, format: 'csv', entries: 0, lastEventHash: null },
      });
    const trusted = { sender: contents, senderFrame: { url: APP_URL } };
    const ask = (event: unknown, id: unknown) => handler(event, id) as Promise<Result<ExportSaved>>;

    expect(await ask({ sender: { id: 9 }, senderFrame: { url: APP_URL } }, exportId)).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    expect(await ask({ sender: contents, senderFrame: { url: 'https://exemple.test/' } }, exportId)).toMatchObject({
      ok: false,
    });
    expect(await ask(trusted, '../../etc/passwd')).toMatchObject({ ok: false, error: { code: 'not_found' } });

    const target = join(dir, 'copie.csv');
    fake.answer = { canceled: false, filePath: target };
    expect(await ask(trusted, exportId)).toEqual({ ok: true, value: { name: target, saved: true } });
    expect(readFileSync(target, 'utf8')).toBe('référence\r\n');
    expect(fake.asked.at(-1)).toMatchObject({ defaultPath: 'main-courante-x.csv' });

    fake.answer = { canceled: true, filePath: undefined };
    rmSync(target);
    expect(await ask(trusted, exportId)).toEqual({ ok: true, value: { name: 'main-courante-x.csv', saved: false } });
    expect(existsSync(target)).toBe(false);
    off();
    expect(fake.handlers.has(channels.saveExport)).toBe(false);
  });
});
