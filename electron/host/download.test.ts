/**
 * Export downloads through the browser host: the per-launch token in a header, a known and recent export
 * id, the file as an attachment; nothing else (issue 10, item 11).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExportResult } from '../contract/logbook.js';
import { createCore, type Core } from '../core/index.js';
import { createExportFiles } from '../core/logbook/export/downloads.js';
import { startHost, type Host } from './server.js';

describe('export files', () => {
  it('forgets an export after its time, and refuses ids that are not UUIDs', () => {
    let t = 0;
    const files = createExportFiles(() => t, 1000);
    const id = '0192f3a4-0000-7000-8000-000000000001';
    files.onEvent({
      type: 'export.finished',
      result: { exportId: id, file: '/tmp/x/main-courante.pdf', format: 'pdf', entries: 1, lastEventHash: null },
    });
    expect(files.get(id)).toEqual({
      file: '/tmp/x/main-courante.pdf',
      name: 'main-courante.pdf',
      contentType: 'application/pdf',
    });
    expect(files.get('../../etc/passwd')).toBeNull();
    t = 1000;
    expect(files.get(id)).toBeNull();
  });
});

describe('GET /export/<id> on the browser host', () => {
  let dir: string;
  let core: Core;
  let host: Host;
  let result: ExportResult;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigie-download-'));
    const rendererDir = join(dir, 'renderer');
    mkdirSync(rendererDir);
    writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Vigie</title>');
    core = await createCore({ dataDir: join(dir, 'data') });
    host = await startHost({ core, rendererDir });
    const r = await core.request('export.start', { format: 'csv' });
    if (!r.ok) throw new Error(r.error.message);
    result = r.value as ExportResult; // the core answers export.start with an ExportResult (contract/logbook.ts)
  }, 60_000);
  afterAll(async () => {
    await host.close();
    await core.close();
    rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
  });

  const get = (path: string, token?: string) =>
    fetch(`http://127.0.0.1:${host.port}${path}`, token === undefined ? {} : { headers: { 'X-Vigie-Token': token } });

  it('sends the file as an attachment with the token, and refuses without it or with a wrong one', async () => {
    expect((await get(`/export/${result.exportId}`)).status).toBe(401);
    expect((await get(`/export/${result.exportId}`, 'faux')).status).toBe(401);
    // The token in the query string is not accepted: it would end in logs and history.
    expect((await get(`/export/${result.exportId}?token=${host.token}`)).status).toBe(401);
    const ok = await get(`/export/${result.exportId}`, host.token);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(ok.headers.get('content-disposition')).toMatch(/^attachment; filename="main-courante-.*\.csv"/);
    expect(ok.headers.get('content-security-policy')).toContain("default-src 'none'");
    const body = Buffer.from(await ok.arrayBuffer());
    expect(body.equals(readFileSync(result.file))).toBe(true);
  });

  it('knows only finished exports', async () => {
    expect((await get('/export/0192f3a4-0000-7000-8000-000000000001', host.token)).status).toBe(404);
    expect((await get('/export/..%2F..%2Fsecret', host.token)).status).toBe(404);
  });
});
