/**
 * The core → renderer direction end to end: the built browser host, a real renderer link, the built page
 * in Chromium with its fake media devices. The page declares itself media owner (a named readiness, no
 * sleep), then the core asks it for its audio devices and gets Chromium's fake ones back.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Result, Status } from '../electron/contract/index.js';
import type * as HostSource from '../electron/host/server.js';
import type * as LinkSource from '../electron/core/kernel/renderer-link.js';
import { launchChromium } from './support/chromium.js';
import { assertBuilt, repoRoot } from './support/paths.js';

// The built JavaScript of these very sources: e2e tests run what a user runs (dist/), typed by the source.
type HostModule = typeof HostSource;
type LinkModule = typeof LinkSource;
const built = async <T>(path: string): Promise<T> =>
  (await import(pathToFileURL(join(repoRoot, 'dist', 'electron', path)).href)) as T;

const status: Status = {
  version: 'e2e',
  dataDir: '/nonexistent',
  nodeId: '00000000-0000-7000-8000-000000000000',
  positionName: 'POSTE-E2E',
  clock: { iso: new Date(0).toISOString(), zone: 'Pacific/Noumea', local: '01/01/1970 11:00:00' },
  telephony: { state: 'disabled', detail: 'sans téléphonie' },
  network: { state: 'local', detail: 'test' },
  database: { state: 'ok', detail: 'aucune base', events: 0 },
};

describe('core → renderer requests in Chromium', () => {
  let host: Awaited<ReturnType<HostModule['startHost']>>;
  let link: ReturnType<LinkModule['createRendererLink']>;
  let chromium: Awaited<ReturnType<typeof launchChromium>>;

  beforeAll(async () => {
    assertBuilt();
    const { startHost } = await built<HostModule>('host/server.js');
    const { createRendererLink } = await built<LinkModule>('core/kernel/renderer-link.js');
    link = createRendererLink();
    // A test core endpoint: the real link, and a dispatcher that knows status.get only.
    const core = {
      renderer: link,
      request: async (method: string): Promise<Result<unknown>> =>
        method === 'status.get'
          ? { ok: true, value: status }
          : { ok: false, error: { code: 'unavailable', message: `${method} : absent de ce test` } },
      onEvent: () => () => undefined,
    };
    host = await startHost({ core, rendererDir: join(repoRoot, 'dist', 'renderer') });
    chromium = await launchChromium({ media: true });
  });

  afterAll(async () => {
    await chromium?.close();
    await host?.close();
  });

  it('lists the fake audio devices of the media-owner page', async () => {
    await expect(link.request('media.devices', {})).rejects.toThrow(/Aucun écran n’est connecté/);

    const owner = new Promise<string>((resolve) => {
      const off = link.onMediaOwner((id) => {
        if (id === null) return;
        off();
        resolve(id);
      });
    });
    const page = await chromium.context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(host.url);
    expect(await owner).toMatch(/^ws-\d+$/);
    await expect.poll(() => page.getByTestId('status-position').textContent()).toContain('POSTE-E2E');

    const devices = await link.request('media.devices', {});
    // Chromium's fake devices ("Fake Default Audio Input", "Fake Audio Output 1"…), audio only.
    expect(devices.inputs.length).toBeGreaterThan(0);
    expect(devices.outputs.length).toBeGreaterThan(0);
    expect([...devices.inputs, ...devices.outputs].every((d) => d.deviceId.length > 0)).toBe(true);
    expect(devices.inputs.map((d) => d.label).join(' ')).toMatch(/Fake .*Audio Input/);
    expect(JSON.stringify(devices)).not.toMatch(/video/i);

    // The media owner serves the call media requests (renderer/src/media/): a call opened and closed.
    await expect(link.request('media.open', { callId: 'c1' }, { timeoutMs: 5_000 })).resolves.toEqual({});
    await expect(link.request('media.close', { callId: 'c1' })).resolves.toEqual({});
    await expect(link.request('media.mute', { callId: 'c1', muted: true })).rejects.toThrow(
      /Audio de l’appel c1 inconnu/,
    );

    // The page goes away: the link has no renderer any more and says so at once.
    await page.close();
    await expect.poll(() => link.peers()).toBe(0);
    expect(link.mediaOwner()).toBeNull();
    await expect(link.request('media.devices', {})).rejects.toThrow(/Aucun écran n’est connecté/);
    expect(errors).toEqual([]);
  });
});
