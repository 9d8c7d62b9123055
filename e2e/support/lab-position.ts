/**
 * One position on a real lab (Kamailio and rtpengine on loopback), served as a user runs it (`vigie serve
 * --lab … --user 1001`) and shown in Chromium with fake audio devices, at the first screenshot size, ready
 * once its telephony reads « enregistrée ». The set-up of the e2e files that drive a lab call by hand.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { labDown, labUp, type LabInfo } from '../../electron/lab/index.js';
import type { LaunchedChromium } from '../../electron/testing/chromium.js';
import { removeDataDir } from '../../electron/testing/data-dir.js';
import { launchChromium } from './chromium.js';
import { SIZES } from './screenshots.js';
import { serve, type Served } from './serve.js';

export interface LabPosition {
  /** The lab's folder (labCall, labKill). */
  lab: string;
  info: LabInfo;
  /** The position's data folder: its vigie.json and vigie.db. */
  data: string;
  page: Page;
  /**
   * Closes Chromium, stops the position, lets the callers still running end (their errors are not this
   * step's), stops the lab and removes both folders.
   */
  stop(callers?: readonly (Promise<unknown> | undefined)[]): Promise<void>;
}

export const startLabPosition = async (options: {
  /** Part of the temporary folders' names. */
  name: string;
  /** The position's vigie.json. */
  config: object;
  /** Runs in the page before its own scripts (test hooks, a browser policy the test needs). */
  initScript: string;
}): Promise<LabPosition> => {
  const lab = mkdtempSync(join(tmpdir(), `vigie-e2e-${options.name}-lab-`));
  const data = mkdtempSync(join(tmpdir(), `vigie-e2e-${options.name}-`));
  let served: Served | undefined;
  let chromium: LaunchedChromium | undefined;
  const stop = async (callers: readonly (Promise<unknown> | undefined)[] = []): Promise<void> => {
    await chromium?.close();
    await served?.stop();
    await Promise.allSettled(callers);
    await labDown({ dir: lab }).catch(() => undefined);
    rmSync(lab, { recursive: true, force: true });
    removeDataDir(data);
  };
  try {
    writeFileSync(join(data, 'vigie.json'), JSON.stringify(options.config));
    const info = await labUp({ dir: lab });
    served = await serve(['--lab', lab, '--user', '1001', '--data', data]);
    chromium = await launchChromium({ media: true });
    const page = await chromium.context.newPage();
    await page.addInitScript(options.initScript);
    await page.setViewportSize(SIZES[0]);
    await page.goto(served.url);
    await page.getByTestId('status-telephony').getByText('enregistrée').waitFor({ timeout: 20_000 });
    return { lab, info, data, page, stop };
  } catch (error) {
    // Nothing of a half-started set-up may outlive it: the caller gets no handle to stop it with.
    await stop();
    throw error;
  }
};
